import { useState } from 'preact/hooks';
import { admin, answer, op } from '../api.ts';
import { ListTable } from '../list-table.tsx';
import { useLoad } from '../load.ts';
import { ProblemAlert, SelectField, TextField } from '../ui.tsx';

type Grouping = 'day' | 'country' | 'gateway';
const GROUP_WORDS: Record<Grouping, string> = { day: 'day', country: 'country', gateway: 'gateway' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A rate as people read it: 0.666667 → 66.7%. */
const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);

/**
 * A store's usage (api.md "Console (wave 3)", Usage): From, To and Group by re-read the usage route as
 * they change; a table of its items and a bar chart of conversion rate per item, named for screen readers.
 */
export function UsageView({
  storeId,
  gatewayName,
}: {
  storeId: string;
  gatewayName?: (id: string) => string;
}) {
  const [from, setFrom] = useState(dayOf(Date.now() - 6 * 86_400_000));
  const [to, setTo] = useState(dayOf(Date.now()));
  const [groupBy, setGroupBy] = useState<Grouping>('day');
  // A day being typed is not asked for until it is whole.
  const query = {
    ...(DAY.test(from) ? { from } : {}),
    ...(DAY.test(to) ? { to } : {}),
    groupBy,
  };
  const loaded = useLoad(
    () => answer(admin.GET(op['usage-get'], { params: { path: { storeId }, query } })),
    `usage:${storeId}:${query.from}:${query.to}:${groupBy}`,
  );
  const usage = loaded.data;
  const label = (key: string) => (groupBy === 'gateway' && gatewayName ? gatewayName(key) : key);
  const chartName = `Conversion rate by ${GROUP_WORDS[groupBy]}`;

  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <div class="inline-form">
        <TextField id="usage-from" label="From" hint="YYYY-MM-DD, UTC" value={from} onValue={setFrom} />
        <TextField id="usage-to" label="To" hint="YYYY-MM-DD, UTC" value={to} onValue={setTo} />
        <SelectField
          id="usage-group-by"
          label="Group by"
          value={groupBy}
          onValue={(v) => setGroupBy(v as Grouping)}
        >
          <option value="day">day</option>
          <option value="country">country</option>
          <option value="gateway">gateway</option>
        </SelectField>
      </div>
      <ProblemAlert problem={loaded.problem} rest={[]} />
      {usage ? (
        <>
          <ListTable
            caption={`Usage by ${GROUP_WORDS[groupBy]}, ${usage.from} to ${usage.to}, ${usage.currency}`}
            headings={[
              groupBy === 'day' ? 'Day' : groupBy === 'country' ? 'Country' : 'Gateway',
              'Sends',
              'Accepted',
              'Delivered',
              'Failed',
              'Challenges',
              'Approved',
              'Conversion rate',
              `Estimated cost (${usage.currency})`,
              `Cost per approval (${usage.currency})`,
            ]}
          >
            {usage.items.map((item) => (
              <tr key={item.key}>
                <th scope="row">{label(item.key)}</th>
                <td>{item.sends}</td>
                <td>{item.accepted}</td>
                <td>{item.delivered}</td>
                <td>{item.failed}</td>
                <td>{item.challenges}</td>
                <td>{item.approved}</td>
                <td>{percent(item.conversionRate)}</td>
                <td>{item.estimatedCost}</td>
                <td>{item.costPerApproval ?? '–'}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Total</th>
              <td>{usage.totals.sends}</td>
              <td>{usage.totals.accepted}</td>
              <td>{usage.totals.delivered}</td>
              <td>{usage.totals.failed}</td>
              <td>{usage.totals.challenges}</td>
              <td>{usage.totals.approved}</td>
              <td>{percent(usage.totals.conversionRate)}</td>
              <td>{usage.totals.estimatedCost}</td>
              <td>{usage.totals.costPerApproval ?? '–'}</td>
            </tr>
          </ListTable>
          <ConversionChart
            name={chartName}
            bars={usage.items.map((item) => ({ label: label(item.key), rate: item.conversionRate }))}
          />
        </>
      ) : null}
    </section>
  );
}

/** One horizontal bar per item; the accessible name says what it shows, each bar its value. */
function ConversionChart({ name, bars }: { name: string; bars: { label: string; rate: number | null }[] }) {
  const row = 24;
  const labelWidth = 140;
  const width = 480;
  const height = Math.max(row, bars.length * row);
  return (
    <svg role="img" aria-label={name} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title>{name}</title>
      {bars.map((bar, index) => {
        const y = index * row;
        const length = Math.round((bar.rate ?? 0) * (width - labelWidth - 60));
        return (
          <g key={bar.label}>
            <text x={0} y={y + 16} font-size="12" fill="currentColor">
              {bar.label}
            </text>
            <rect x={labelWidth} y={y + 4} width={length} height={row - 8} fill="#1f6feb">
              <title>{`${bar.label}: ${percent(bar.rate)}`}</title>
            </rect>
            <text x={labelWidth + length + 6} y={y + 16} font-size="12" fill="currentColor">
              {percent(bar.rate)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
