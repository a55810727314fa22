import 'reflect-metadata';

// Tests are quiet unless asked otherwise (LOG_LEVEL=debug npm test).
process.env.LOG_LEVEL ??= 'silent';
