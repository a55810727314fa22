/** The event log as readers outside the server see it (API.md §6.1). */

/** Who caused an event. Never holds a secret. */
export interface EventMetadataView {
  request_id: string | null;
  user_uuid: string | null;
  user_name: string | null;
  ip: string | null;
  method: string | null;
  path: string | null;
  /** The request body as JSON, every `password` and `token` value replaced by "***"; "" without a body. */
  input: string | null;
  /** On an event a durable consumer appended in reaction to another: that event's position. */
  causation_position?: number;
  /** …and the consumer that reacted. */
  causation_consumer?: string;
  /** On an event written by `npm run import`: the source (without its password) and the run's id. */
  import?: ImportMetadataView;
}

export interface ImportMetadataView {
  source: string;
  run_id: string;
}

export interface EventView {
  /** Global, strictly increasing. */
  position: number;
  /** The aggregate's kind: user, token, az, cluster, security. */
  stream_type: string;
  stream_id: string;
  /** Per stream: 1, 2, 3 … */
  version: number;
  /** e.g. `AzCreated`, `ClusterDisabled`. */
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadataView;
  created_at: string;
}

/** A page of listEvent; unlike the other lists it pages by position, not by page number. */
export interface EventPage {
  elements: EventView[];
  size: number;
  /** Pass as `after` to continue. */
  next: number;
}

export interface ListEventQuery {
  /** Position of the last event already seen; 0 (the default) starts at the beginning. */
  after?: number;
  /** 1 to 1000, default 100. */
  limit?: number;
  stream_type?: string;
  stream_id?: string;
  type?: string;
}
