import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../platform/config/app-config';

/** Says at start whether node agents can enrol: an operator wondering why none shows up reads it here. */
@Injectable()
export class JoinTokenNotice implements OnApplicationBootstrap {
  private readonly logger = new Logger('Agents');

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.CHIME_AGENT_JOIN_TOKEN === undefined) {
      this.logger.warn('CHIME_AGENT_JOIN_TOKEN is not set: node agents cannot enrol (POST /v1/agent/enrol answers 401)');
    } else {
      this.logger.log(
        `node agents may enrol with the join token; heartbeat every ${this.config.CHIME_HEARTBEAT_INTERVAL} s, ` +
          `unreachable after ${this.config.CHIME_HEARTBEAT_MISSES} missed`,
      );
    }
  }
}
