import { IsInt, IsString, Min, MetadataStorage, validate } from 'class-validator';
import { cacheValidationRules, ChimeValidationPipe } from './validation';

describe('cacheValidationRules', () => {
  class Base {
    @IsInt()
    @Min(1)
    page = 1;
  }
  class Derived extends Base {
    @IsString()
    name = 'x';
  }

  it('answers what class-validator answers, inherited rules included', () => {
    const fresh = new MetadataStorage();
    const cached = new MetadataStorage();
    // The same rules in both storages, as the decorators put them in the global one.
    const storage = (globalThis as { classValidatorMetadataStorage?: MetadataStorage }).classValidatorMetadataStorage!;
    for (const target of [Base, Derived]) {
      for (const rule of storage.getTargetValidationMetadatas(target, '', false, false)) {
        if (rule.target !== target) continue;
        fresh.addValidationMetadata(rule);
        cached.addValidationMetadata(rule);
      }
    }
    cacheValidationRules(cached);
    const names = (rules: { propertyName: string; name?: string; type: string }[]) =>
      rules.map((r) => `${r.propertyName} ${r.name ?? r.type}`).sort();
    for (const target of [Base, Derived]) {
      const expected = names(fresh.getTargetValidationMetadatas(target, '', false, false));
      expect(names(cached.getTargetValidationMetadatas(target, '', false, false))).toEqual(expected);
      // Asked again: the same answer, from memory.
      expect(cached.getTargetValidationMetadatas(target, '', false, false)).toBe(
        cached.getTargetValidationMetadatas(target, '', false, false),
      );
    }
    expect(names(cached.getTargetValidationMetadatas(Derived, '', false, false))).toEqual([
      'name isString',
      'page isInt',
      'page min',
    ]);
  });

  it('forgets its answers when a rule is added later', async () => {
    new ChimeValidationPipe(); // caches the global storage's rules
    class Later {
      value: unknown = 'text';
    }
    expect(await validate(new Later(), { forbidUnknownValues: false })).toEqual([]);
    IsInt()(Later.prototype, 'value');
    const errors = await validate(new Later(), { forbidUnknownValues: false });
    expect(errors.map((e) => Object.keys(e.constraints ?? {}))).toEqual([['isInt']]);
  });

  it('leaves the pipe refusing what it refused', async () => {
    const pipe = new ChimeValidationPipe();
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ page: '0', name: 3 }, { type: 'query', metatype: Derived })).rejects.toThrow(
        /page must not be less than 1|page must be an integer/,
      );
      await expect(pipe.transform({ page: 2, name: 'a' }, { type: 'query', metatype: Derived })).resolves.toBeInstanceOf(Derived);
    }
  });
});
