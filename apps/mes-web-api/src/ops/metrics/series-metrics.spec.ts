import { Histogram, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics';

describe('series metrics', () => {
  it('expose a histogram exactly as prom-client formats its own', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const buckets = [0.001, 0.01, 0.1];
    const h = new SeriesHistogram('x_seconds', 'help text', ours, buckets);
    const ref = new Histogram({
      name: 'x_seconds',
      help: 'help text',
      labelNames: ['route', 'status'],
      buckets,
      registers: [theirs],
    });
    const a = h.series({ route: '/a', status: '200' });
    const b = h.series({ route: '/b', status: '404' });
    for (const v of [0.0005, 0.001, 0.002, 0.05, 3]) {
      a.observe(v);
      ref.observe({ route: '/a', status: '200' }, v);
    }
    b.observe(0.02);
    ref.observe({ route: '/b', status: '404' }, 0.02);
    // Same samples; prom-client puts `le` first, these put it last.
    const lines = (text: string) =>
      text
        .split('\n')
        .map((l) => l.replace(/\{le="([^"]+)",(.*)\}/, '{$2,le="$1"}'))
        .sort();
    expect(lines(await ours.metrics())).toEqual(lines(await theirs.metrics()));
    expect(await ours.metrics()).toContain(
      'x_seconds_bucket{route="/a",status="200",le="0.001"} 2',
    );
  });

  it('expose a histogram without labels exactly as prom-client does, observed or not', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const buckets = [0.0005, 0.001, 0.0025];
    const h = new SeriesHistogram('q_seconds', 'statement time', ours, buckets).series({});
    const ref = new Histogram({
      name: 'q_seconds',
      help: 'statement time',
      buckets,
      registers: [theirs],
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    for (const v of [0.0001, 0.0005, 0.0007, 0.002, 0.3]) {
      h.observe(v);
      ref.observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('q_seconds_bucket{le="0.001"} 3');
  });

  it('counts, resets, and refuses buckets out of order', async () => {
    const registry = new Registry();
    const c = new SeriesCounter('y_total', 'help', registry);
    const s = c.series({ outcome: 'accepted', reason: 'user' });
    s.inc();
    s.inc();
    expect(await registry.metrics()).toContain('y_total{outcome="accepted",reason="user"} 2');
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('y_total{outcome="accepted",reason="user"} 0');
    expect(() => new SeriesHistogram('z', 'h', registry, [1, 1])).toThrow(/increase/);
  });
});
