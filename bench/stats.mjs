// Small statistics helpers: medians and spread are what the report shows, never means, because a
// shared machine produces outliers that would drag a mean around.

/** The q-quantile (0..1) of `values`, interpolating between the two nearest ranks. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Median, min, max and interquartile range of a sample, with the sample size. */
export function summary(values) {
  return {
    n: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    p25: quantile(values, 0.25),
    p75: quantile(values, 0.75),
  };
}

/**
 * Least-squares slope of log(y) against log(x): 1 means time grows linearly with size, 2 quadratically.
 */
export function logLogSlope(xs, ys) {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

/** A macro event as CloudFormation sends it, around a template. */
export function macroEvent(fragment) {
  return {
    requestId: "bench",
    fragment,
    region: "us-east-1",
    accountId: "123456789012",
    transformId: "123456789012::CorsKeyPushdown",
    params: {},
    templateParameterValues: {},
  };
}
