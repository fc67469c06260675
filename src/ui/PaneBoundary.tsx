import { Component, type ReactNode } from "react";

interface PaneBoundaryProps {
  /** The pane's name, shown in the failure message. */
  title: string;
  children: ReactNode;
}

interface PaneBoundaryState {
  error: Error | null;
}

/** What a pane shows in place of its content after a render error. */
export function PaneFailure({
  title,
  error,
  onRetry,
}: {
  title: string;
  error: Error;
  onRetry?: () => void;
}) {
  return (
    <section className="pane pane-failed" data-testid="pane-error" role="alert">
      <div className="pane-title">{title}</div>
      <p>
        The {title} pane failed to draw, so it is hidden. The rest of the page
        and your text are unaffected.
      </p>
      <pre>{`${error.name}: ${error.message}`}</pre>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </section>
  );
}

/**
 * Catches a render error inside one pane and shows it there, so React
 * does not unmount the whole page. Give it a `key` that changes with each
 * run to retry after the next result comes in.
 */
export class PaneBoundary extends Component<PaneBoundaryProps, PaneBoundaryState> {
  state: PaneBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): PaneBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <PaneFailure
        title={this.props.title}
        error={error}
        onRetry={() => this.setState({ error: null })}
      />
    );
  }
}
