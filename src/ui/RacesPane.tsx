import type { RaceFinding } from "../engine/trace/raceDetector";

/** `content_by_lua(nginx.conf:20):4` for a source position, if known. */
function where(source: RaceFinding["readSource"]): string {
  return source ? `${source.chunkName}:${source.line}` : "an unknown line";
}

function describe(race: RaceFinding): string {
  const base =
    `${race.actor.label} read ${race.dict}["${race.key}"] at ${where(race.readSource)}, ` +
    `yielded, and wrote it back at ${where(race.writeSource)}`;
  if (race.intervening) {
    return (
      `${base}; meanwhile ${race.intervening.actor.label} wrote the same key at ` +
      `${where(race.intervening.source)}, so that update was lost.`
    );
  }
  return `${base}. Nothing else wrote the key in this run, but another interleaving would lose an update.`;
}

/** Lists the read-modify-write races the engine found in the run. */
export function RacesPane({ races }: { races: readonly RaceFinding[] }) {
  if (races.length === 0) return null;
  return (
    <section className="pane races" data-testid="races">
      <div className="pane-title">Races ({races.length})</div>
      <ul className="race-list">
        {races.map((race, index) => (
          <li
            key={index}
            className={race.kind === "lost update" ? "race-lost" : "race-possible"}
            data-testid="race"
            data-kind={race.kind}
          >
            <strong>{race.kind}</strong>: {describe(race)}{" "}
            <span className="race-fix">{race.suggestion}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
