import { SetMetadata } from '@nestjs/common';

export const RAW_RESPONSE = 'chime:raw-response';

/** The route answers in its own format (health, metrics, event streams), not in the envelope. */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);
