import type { TraceEvent, TraceEventInput } from "./events";

/** Collects trace events in the order they happen and numbers them. */
export class TraceRecorder {
  readonly events: TraceEvent[] = [];

  /** Appends one event; returns it with its sequence number. */
  record(event: TraceEventInput): TraceEvent {
    const full = { ...event, seq: this.events.length } as TraceEvent;
    this.events.push(full);
    return full;
  }
}
