import { useMemo, useState } from "react";
import type { TraceEvent } from "../../engine/trace/events";
import {
  isEntryExpired,
  replayShdicts,
  type DictEntry,
  type DictSnapshot,
} from "./shdictReplay";

type ShdictEvent = Extract<TraceEvent, { kind: "shdict" }>;

/** Maximum characters of a value shown in full; longer ones are cut (the tooltip has all). */
const MAX_SHOWN_VALUE = 48;

/** Counts the characters of a string value without the quotes the trace adds. */
function valueLength(value: string): number {
  if (!value.startsWith('"')) return value.length;
  try {
    return (JSON.parse(value) as string).length;
  } catch {
    return value.length - 2;
  }
}

function shownValue(entry: DictEntry): string {
  if (entry.listLength !== null) return `list of ${entry.listLength}`;
  if (entry.value.length <= MAX_SHOWN_VALUE) return entry.value;
  return `${entry.value.slice(0, MAX_SHOWN_VALUE)}… (${valueLength(entry.value)} characters)`;
}

function expiryText(entry: DictEntry, now: number): string {
  if (entry.expiresAt === null) return "never";
  const left = (entry.expiresAt - now) / 1000;
  if (isEntryExpired(entry, now)) {
    return `expired ${(-left).toFixed(3)} s ago (stale)`;
  }
  return `in ${left.toFixed(3)} s`;
}

function memoryText(dict: DictSnapshot): string {
  if (dict.capacity === null && dict.freeSpace === null) {
    return (
      "Memory use is not recorded for this point of the run."
    );
  }
  const parts: string[] = [];
  if (dict.capacity !== null) parts.push(`capacity ${dict.capacity} bytes`);
  if (dict.freeSpace !== null) parts.push(`free ${dict.freeSpace} bytes`);
  if (dict.capacity !== null && dict.freeSpace !== null) {
    parts.push(`used ${dict.capacity - dict.freeSpace} bytes`);
  }
  return `${parts.join(", ")} (free counts whole free 4 KiB pages, as free_space() does).`;
}

function DictTable({ dict, now }: { dict: DictSnapshot; now: number }) {
  return (
    <div className="shdict-dict" data-testid="shdict-dict" data-dict={dict.name}>
      <div className="shdict-name">
        lua_shared_dict <strong>{dict.name}</strong>: {dict.entries.length}{" "}
        {dict.entries.length === 1 ? "key" : "keys"}
      </div>
      <div className="shdict-memory" data-testid="shdict-memory">
        {memoryText(dict)}
      </div>
      {dict.forcibleSeqs.length > 0 && (
        <div className="shdict-note" data-testid="shdict-evictions">
          {dict.forcibleSeqs.length} forcible writes evicted least recently used
          keys. The trace does not record how many each evicted, so the replay
          drops one per write.
        </div>
      )}
      {dict.entries.length > 0 && (
        <table className="shdict-table">
          <thead>
            <tr>
              <th title="1 = most recently used">LRU</th>
              <th>key</th>
              <th>value</th>
              <th>flags</th>
              <th>expires</th>
            </tr>
          </thead>
          <tbody>
            {dict.entries.map((entry, index) => (
              <tr
                key={entry.key}
                data-testid="shdict-entry"
                data-key={entry.key}
                className={isEntryExpired(entry, now) ? "shdict-stale" : undefined}
              >
                <td>{index + 1}</td>
                <td>{entry.key}</td>
                <td data-testid="shdict-value" title={entry.value}>
                  {shownValue(entry)}
                </td>
                <td>{entry.flags}</td>
                <td>{expiryText(entry, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function describeEvent(event: ShdictEvent): string {
  const key = event.key === null ? "" : `"${event.key}"`;
  return `${event.dict}:${event.op}(${key}) → ${event.result} at ${event.time.toFixed(1)} ms`;
}

/**
 * Shows each lua_shared_dict's keys (value, flags, expiry, LRU order) as
 * they stood after a chosen shared dict operation of the run.
 */
export function ShdictInspector({ trace }: { trace: readonly TraceEvent[] }) {
  const ops = useMemo(
    () => trace.filter((event): event is ShdictEvent => event.kind === "shdict"),
    [trace],
  );
  const [position, setPosition] = useState(ops.length);
  if (ops.length === 0) return null;
  const clamped = Math.min(Math.max(position, 1), ops.length);
  const event = ops[clamped - 1];
  const dicts = replayShdicts(trace, event.seq);

  return (
    <section className="pane shdict-inspector" data-testid="shdict-inspector">
      <div className="pane-title">Shared dicts</div>
      <label className="shdict-position">
        After operation{" "}
        <input
          type="range"
          data-testid="shdict-slider"
          min={1}
          max={ops.length}
          value={clamped}
          onChange={(change) => setPosition(Number(change.target.value))}
        />{" "}
        <span data-testid="shdict-position">
          {clamped} of {ops.length}
        </span>
        : <code data-testid="shdict-op">{describeEvent(event)}</code>
      </label>
      {dicts.map((dict) => (
        <DictTable key={dict.name} dict={dict} now={Math.floor(event.time)} />
      ))}
    </section>
  );
}
