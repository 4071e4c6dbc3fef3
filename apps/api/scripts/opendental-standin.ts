// Runs the local stand-in of Open Dental's REST API (test/support/openDentalStandIn.ts) on a port, with a few
// seeded patients, so a demo institution can be pointed at it without an Open Dental account:
//
//   npm run -s opendental:standin -- --port 8765 --developer-key dev-key --customer-key cust-key
//
// Prints one JSON line (its URL, the keys it expects, and settings to give `set-connector`), then serves
// until Ctrl-C. It keeps everything in memory: a restart starts over.
import { parseArgs } from 'node:util';
import { IANAZone } from 'luxon';
import { startOpenDentalStandIn } from '../test/support/openDentalStandIn';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8765' },
    host: { type: 'string', default: '127.0.0.1' },
    'developer-key': { type: 'string', default: 'dev-key' },
    'customer-key': { type: 'string', default: 'cust-key' },
    'time-zone': { type: 'string', default: 'America/Chicago' },
    /** Made-up patients added after the named ones. */
    patients: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be a port number');
const extra = Number(values.patients);
if (!Number.isInteger(extra) || extra < 0) fail('--patients must be a whole number');
const timeZone = values['time-zone'];
if (!IANAZone.isValidZone(timeZone)) fail('--time-zone must be an IANA time zone, e.g. America/Chicago');

const standIn = await startOpenDentalStandIn({
  developerKey: values['developer-key'],
  customerKey: values['customer-key'],
  timeZone,
  port,
  host: values.host,
}).catch((err: Error) => fail(`Could not start the stand-in: ${err.message}`));

// A small family and a few others, as a front desk would have typed them into Open Dental.
const smith = standIn.addPatient({
  LName: 'Smith',
  FName: 'Jane',
  Gender: 'Female',
  Birthdate: '1976-05-24',
  WirelessPhone: '(536)987-4822',
  Email: 'smithfam@example.com',
  Address: '125 Satin Heights',
  City: 'San Jose',
  State: 'CA',
  Zip: '97301',
});
standIn.addPatient({
  LName: 'Smith',
  FName: 'John',
  Gender: 'Male',
  Birthdate: '1979-06-23',
  Guarantor: smith.PatNum,
});
standIn.addPatient({
  LName: 'Smith',
  FName: 'Emma',
  Gender: 'Female',
  Birthdate: '2012-09-02',
  Guarantor: smith.PatNum,
});
standIn.addPatient({
  LName: 'Johnson',
  FName: 'Brody',
  Gender: 'Male',
  Birthdate: '1988-11-30',
  WkPhone: '(503)503-5030',
  PatStatus: 'Inactive',
});
standIn.addPatient({
  LName: 'Nguyen',
  FName: 'Linh',
  Gender: 'Female',
  Birthdate: '1991-02-14',
  HmPhone: '(415)555-0142',
});
if (extra) standIn.addPatients(extra, Number(values.seed) || 1);

process.stdout.write(
  `${JSON.stringify({
    url: standIn.url,
    developer_key: values['developer-key'],
    customer_key: values['customer-key'],
    time_zone: timeZone,
    patients: standIn.patients().length,
    operatories: [1, 2, 3],
    providers: standIn.providers().map((p) => ({ ProvNum: p.ProvNum, Abbr: p.Abbr })),
    settings: {
      base_url: standIn.url,
      locations: [{ location_id: 1, clinic_num: null, operatory: 1, time_zone: timeZone }],
    },
    control: `${standIn.url}/_standin/state`,
  })}\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    standIn.close().then(() => process.exit(0));
  });
}
