/** Small SVG charts: no chart library, so the first load stays small and the CSP strict. */

export interface Bar {
  label: string;
  value: number;
  title: string;
}

/** Vertical bars (spend per day), scaled to the largest value; every bar has a text equivalent. */
export function BarChart({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = 100 / Math.max(1, bars.length);
  return (
    <figure className="chart">
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label={label}>
        {bars.map((bar, i) => {
          const height = (bar.value / max) * 38;
          return (
            <rect
              key={bar.label}
              x={i * width + width * 0.1}
              y={40 - height}
              width={width * 0.8}
              height={height}
              className="bar"
            >
              <title>{bar.title}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="axis">
        <span>{bars[0]?.label}</span>
        <span>{bars.at(-1)?.label}</span>
      </figcaption>
    </figure>
  );
}

/** Spend against a budget: the native <meter> (its value is announced), coloured past 80% and 100%. */
export function BudgetMeter({ spent, budget, label }: { spent: number; budget: number | null; label: string }) {
  if (!budget) return <p className="muted">No budget set: spend is unlimited.</p>;
  return (
    <meter
      className="budget"
      aria-label={label}
      min={0}
      max={budget}
      low={budget * 0.8}
      high={budget * 0.99}
      optimum={0}
      value={Math.min(spent, budget)}
      title={`${Math.round((spent / budget) * 100)}% of budget`}
    />
  );
}
