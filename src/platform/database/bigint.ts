import type { ValueTransformer } from 'typeorm';

/** A bigint column read as a number: for byte counts and sizes this server keeps far below 2^53. */
export const BIGINT: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? value : Number(value)),
};
