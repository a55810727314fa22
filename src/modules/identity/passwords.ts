import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** Passwords are hashed with argon2id (the library's default: 19 MiB, 2 passes). */
@Injectable()
export class Passwords {
  /** Checked against when the user does not exist, so that a wrong name costs what a wrong password costs. */
  private readonly decoy = hash('decoy password that matches nothing');

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      await verify(await this.decoy, password);
      return false;
    }
    return verify(passwordHash, password);
  }
}
