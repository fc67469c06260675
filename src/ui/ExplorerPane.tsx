import { useExplorer, usePlayground } from "./store/appStore";

/** The explorer's outcome groups, each replayable from one of its seeds. */
export function ExplorerPane() {
  const status = useExplorer((state) => state.status);
  const done = useExplorer((state) => state.done);
  const runs = useExplorer((state) => state.runs);
  const jitterMs = useExplorer((state) => state.jitterMs);
  const groups = useExplorer((state) => state.groups);
  const error = useExplorer((state) => state.error);
  const close = useExplorer((state) => state.close);
  const updateWorkspace = usePlayground((state) => state.updateWorkspace);
  const send = usePlayground((state) => state.send);
  if (status === "idle") return null;

  const lost = groups.reduce((n, g) => n + g.lostUpdates, 0);
  const replay = (seed: number) => {
    updateWorkspace({ seed, jitterMs });
    void send();
  };
  return (
    <section className="pane explorer" data-testid="explorer">
      <div className="pane-title">
        Interleavings: {done} of {runs} runs, up to {jitterMs} ms of timing jitter
        <button type="button" className="pane-close" onClick={close}>
          Close
        </button>
      </div>
      {error && <div className="banner banner-error">{error}</div>}
      {status === "done" && !error && (
        <p data-testid="explorer-summary">
          {groups.length} different outcome{groups.length === 1 ? "" : "s"};{" "}
          {lost} of {runs} orders lost an update.
        </p>
      )}
      <ul className="explorer-groups">
        {groups.map((group, index) => (
          <li key={index} data-testid="explorer-group" data-lost={group.lostUpdates}>
            <strong>
              {group.seeds.length} run{group.seeds.length === 1 ? "" : "s"}
              {group.lostUpdates > 0 ? `, ${group.lostUpdates} with a lost update` : ""}
            </strong>
            <pre>{group.responses.join("\n")}</pre>
            <button
              type="button"
              data-testid="explorer-replay"
              onClick={() => replay(group.seeds[0])}
            >
              Replay seed {group.seeds[0]}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
