// A local stand-in for the part of Open Dental's REST API the connector uses: a small node:http server that
// keeps its own records in memory and answers the way the API Specification says (opendental.com:
// apipatients, apiappointments, apiproviders, apiimplementation). Tests drive it in-process; a test whose
// sync runs in a child process drives it over HTTP under /_standin/. Faults (429, 500, a hang, a dropped
// connection) and a per-request delay make the unhappy paths testable.
//
// What it models: the `ODFHIR {developer}/{customer}` header (401 otherwise); pages of at most 100 (Limit
// above 100 is capped) with Offset; `serverDateTime` on every listed item, office-local
// "yyyy-MM-dd HH:mm:ss"; DateTStamp stamped with one-second resolution and filtered as "changed after";
// Open Dental's own duplicate check on POST /patients; breaking an appointment with PUT .../Break.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';

const OD_DATE_TIME = 'yyyy-MM-dd HH:mm:ss';
const NO_DATE = '0001-01-01';
const NO_DATE_TIME = '0001-01-01 00:00:00';
const MAX_LIMIT = 100;
const MAX_PATTERN = 108; // 9 hours of 5-minute units

export interface StandInOptions {
  developerKey: string;
  customerKey: string;
  /** The office's zone: serverDateTime and DateTStamp are wall-clock times there. */
  timeZone?: string;
  port?: number;
  host?: string;
  /** The stand-in's clock (tests may pin it); the real one by default. */
  now?: () => Date;
}

export interface StandInPatient {
  PatNum: number;
  LName: string;
  FName: string;
  MiddleI: string;
  Preferred: string;
  PatStatus: string;
  Gender: string;
  Position: string;
  Birthdate: string;
  SSN: string;
  Address: string;
  Address2: string;
  City: string;
  State: string;
  Zip: string;
  HmPhone: string;
  WkPhone: string;
  WirelessPhone: string;
  Guarantor: number;
  Email: string;
  EstBalance: number;
  PriProv: number;
  priProvAbbr: string;
  SecProv: number;
  BillingType: string;
  ImageFolder: string;
  ChartNumber: string;
  ClinicNum: number;
  clinicAbbr: string;
  Language: string;
  DateTStamp: string;
  SuperFamily: number;
  TxtMsgOk: string;
  SecDateEntry: string;
}

export interface StandInAppointment {
  AptNum: number;
  PatNum: number;
  AptStatus: string;
  Pattern: string;
  Confirmed: number;
  confirmed: string;
  Op: number;
  Note: string;
  ProvNum: number;
  provAbbr: string;
  ProvHyg: number;
  AptDateTime: string;
  ClinicNum: number;
  IsHygiene: string;
  IsNewPatient: string;
  DateTStamp: string;
  SecDateTEntry: string;
  Priority: string;
  PatternSecondary: string;
}

export interface StandInProvider {
  ProvNum: number;
  Abbr: string;
  LName: string;
  FName: string;
  MI: string;
  Suffix: string;
  IsSecondary: string;
  IsHidden: string;
  ProvStatus: string;
  PreferredName: string;
  DateTStamp: string;
}

export interface StandInOperatory {
  OperatoryNum: number;
  OpName: string;
  Abbrev: string;
  ClinicNum: number;
  ProvDentist: number;
  IsHidden: string;
}

export type FaultKind = '429' | '500' | 'hang' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** Only calls with this method (any when absent). */
  method?: string;
  /** Only calls to this path (no query); a trailing `*` matches a prefix. Any when absent. */
  path?: string;
  /** The fault hits the nth matching call from now on (1: the next one). */
  nth?: number;
  /** How many matching calls in a row it hits, from the nth on (default 1). */
  times?: number;
  /**
   * Carry the request out first, then fail the answer: the "lost answer" of a write that did happen.
   * Default false: the request fails before anything is done.
   */
  after?: boolean;
  /** For 429: the Retry-After header, in seconds. */
  retryAfter?: number;
}

export interface CallRecord {
  method: string;
  path: string;
  query: string;
  /** The status answered, or the fault that hit the call. */
  outcome: number | 'hang' | 'drop';
}

export interface OpenDentalStandIn {
  url: string;
  close(): Promise<void>;
  addPatient(p: Partial<StandInPatient> & Pick<StandInPatient, 'LName' | 'FName'>): StandInPatient;
  /** `n` made-up patients, fast (10,000 in well under a second); deterministic for a seed. */
  addPatients(n: number, seed?: number): { first: number; last: number };
  /** Replaces fields of a patient as front-desk staff typing into Open Dental would; stamps DateTStamp. */
  updatePatient(patNum: number, fields: Partial<StandInPatient>): StandInPatient;
  setPatient(patNum: number, fields: Partial<StandInPatient>): StandInPatient;
  addAppointment(
    a: Partial<StandInAppointment> & Pick<StandInAppointment, 'PatNum' | 'AptDateTime'>,
  ): StandInAppointment;
  updateAppointment(aptNum: number, fields: Partial<StandInAppointment>): StandInAppointment;
  patients(): StandInPatient[];
  appointments(): StandInAppointment[];
  providers(): StandInProvider[];
  /** Every API call so far (not the /_standin/ ones), oldest first. */
  calls: CallRecord[];
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  setDelay(ms: number): void;
  /** The stand-in's clock as Open Dental shows it (office-local). */
  serverDateTime(): string;
}

// ---------------------------------------------------------------------------------------------------
// Made-up people for bulk adds
// ---------------------------------------------------------------------------------------------------

const FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Carlos',
  'Karen',
  'Daniel',
  'Lisa',
  'Matthew',
  'Nancy',
  'Anthony',
  'Sandra',
  'Mark',
  'Ashley',
  'Luis',
  'Emily',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Nguyen',
];
const AREA_CODES = [212, 312, 415, 617, 713, 303, 404, 503, 602, 206];

/** mulberry32: a tiny seeded generator, so a seed always makes the same people. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------------
// Requests and answers
// ---------------------------------------------------------------------------------------------------

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}
const ok = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Answer(status, body, headers);
/** Open Dental answers a refusal with a sentence. */
const bad = (status: number, explanation: string) => new Answer(status, explanation);

const digits = (s: string) => s.replace(/\D/g, '');
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid;
const isDateTime = (s: string) => DateTime.fromFormat(s, OD_DATE_TIME).isValid;
const contains = (hay: string, needle: string) => hay.toLowerCase().includes(needle.toLowerCase());

const PAT_STATUSES = ['Patient', 'NonPatient', 'Inactive', 'Archived', 'Deceased', 'Prospective'];
const WRITABLE_GENDERS = ['Male', 'Female', 'Unknown'];
const APT_STATUSES = [
  'Scheduled',
  'Complete',
  'UnschedList',
  'Broken',
  'Planned',
  'PtNote',
  'PtNoteCompleted',
];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startOpenDentalStandIn(options: StandInOptions): Promise<OpenDentalStandIn> {
  const zone = options.timeZone ?? 'America/Chicago';
  const clock = options.now ?? (() => new Date());
  const stamp = () => DateTime.fromJSDate(clock()).setZone(zone).toFormat(OD_DATE_TIME);
  const expectedAuth = `ODFHIR ${options.developerKey}/${options.customerKey}`;

  const patients = new Map<number, StandInPatient>();
  const appointments = new Map<number, StandInAppointment>();
  let nextPatNum = 1;
  let nextAptNum = 1;
  const providers: StandInProvider[] = [
    provider(1, 'DOC1', 'Albert', 'Brian'),
    provider(2, 'HYG1', 'Jones', 'Tina'),
    provider(3, 'DOC2', 'Lee', 'Sarah'),
  ];
  const operatories: StandInOperatory[] = [1, 2, 3].map((n) => ({
    OperatoryNum: n,
    OpName: `Op ${n}`,
    Abbrev: `OP${n}`,
    ClinicNum: 0,
    ProvDentist: n === 2 ? 2 : 1,
    IsHidden: 'false',
  }));
  const calls: CallRecord[] = [];
  let faults: Array<FaultSpec & { seen: number; hits: number }> = [];
  let delayMs = 0;

  function provider(ProvNum: number, Abbr: string, LName: string, FName: string): StandInProvider {
    return {
      ProvNum,
      Abbr,
      LName,
      FName,
      MI: '',
      Suffix: '',
      IsSecondary: Abbr.startsWith('HYG') ? 'true' : 'false',
      IsHidden: 'false',
      ProvStatus: 'Active',
      PreferredName: '',
      DateTStamp: '2021-08-04 08:33:01',
    };
  }

  const abbrOf = (provNum: number) => providers.find((p) => p.ProvNum === provNum)?.Abbr ?? '';

  // -- records ----------------------------------------------------------------------------------------

  function newPatient(fields: Partial<StandInPatient> & Pick<StandInPatient, 'LName' | 'FName'>) {
    const PatNum = nextPatNum++;
    const now = stamp();
    const { LName, FName, ...rest } = fields;
    const p: StandInPatient = {
      PatNum,
      LName,
      FName,
      MiddleI: '',
      Preferred: '',
      PatStatus: 'Patient',
      Gender: 'Unknown',
      Position: 'Single',
      Birthdate: NO_DATE,
      SSN: '',
      Address: '',
      Address2: '',
      City: '',
      State: '',
      Zip: '',
      HmPhone: '',
      WkPhone: '',
      WirelessPhone: '',
      Guarantor: PatNum,
      Email: '',
      EstBalance: 0,
      PriProv: 1,
      priProvAbbr: '',
      SecProv: 0,
      BillingType: 'Standard Account',
      ImageFolder: '',
      ChartNumber: '',
      ClinicNum: 0,
      clinicAbbr: '',
      Language: '',
      SuperFamily: 0,
      TxtMsgOk: 'Unknown',
      SecDateEntry: now.slice(0, 10),
      ...rest,
      DateTStamp: now,
    };
    p.PatNum = PatNum;
    if (!fields.Guarantor) p.Guarantor = PatNum;
    p.priProvAbbr = abbrOf(p.PriProv);
    p.ImageFolder ||= `${p.LName}${p.FName}${PatNum}`.replace(/[^A-Za-z0-9]/g, '');
    patients.set(PatNum, p);
    return p;
  }

  function changePatient(patNum: number, fields: Partial<StandInPatient>): StandInPatient {
    const p = patients.get(patNum);
    if (!p) throw new Error(`No patient ${patNum} in the stand-in`);
    Object.assign(p, fields, { PatNum: patNum, DateTStamp: stamp() });
    p.priProvAbbr = abbrOf(p.PriProv);
    return p;
  }

  function newAppointment(
    fields: Partial<StandInAppointment> & Pick<StandInAppointment, 'PatNum' | 'AptDateTime'>,
  ): StandInAppointment {
    const AptNum = nextAptNum++;
    const now = stamp();
    const patient = patients.get(fields.PatNum);
    const op = operatories.find((o) => o.OperatoryNum === (fields.Op ?? 1));
    const a: StandInAppointment = {
      AptNum,
      AptStatus: 'Scheduled',
      Pattern: '/XX/',
      Confirmed: 19,
      confirmed: 'Not Called',
      Op: 1,
      Note: '',
      ProvNum: patient?.PriProv || 1,
      provAbbr: '',
      ProvHyg: 0,
      ClinicNum: op?.ClinicNum || patient?.ClinicNum || 0,
      IsHygiene: 'false',
      IsNewPatient: 'false',
      SecDateTEntry: now,
      Priority: 'Normal',
      PatternSecondary: '',
      ...fields,
      DateTStamp: now,
    };
    a.AptNum = AptNum;
    a.provAbbr = abbrOf(a.ProvNum);
    a.PatternSecondary = '/'.repeat(a.Pattern.length);
    appointments.set(AptNum, a);
    return a;
  }

  function changeAppointment(aptNum: number, fields: Partial<StandInAppointment>): StandInAppointment {
    const a = appointments.get(aptNum);
    if (!a) throw new Error(`No appointment ${aptNum} in the stand-in`);
    Object.assign(a, fields, { AptNum: aptNum, DateTStamp: stamp() });
    a.provAbbr = abbrOf(a.ProvNum);
    return a;
  }

  function addPatients(n: number, seed = 1): { first: number; last: number } {
    const rnd = random(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const first = nextPatNum;
    for (let i = 0; i < n; i++) {
      const FName = pick(FIRST);
      const LName = pick(LAST);
      const year = 1940 + Math.floor(rnd() * 75);
      const month = 1 + Math.floor(rnd() * 12);
      const day = 1 + Math.floor(rnd() * 28);
      const exchange = 200 + Math.floor(rnd() * 800);
      const line = String(Math.floor(rnd() * 10_000)).padStart(4, '0');
      newPatient({
        LName,
        FName,
        Gender: rnd() < 0.5 ? 'Female' : 'Male',
        Birthdate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        WirelessPhone: `(${pick(AREA_CODES)})${exchange}-${line}`,
        Email: `${FName}.${LName}.${nextPatNum}@example.com`.toLowerCase(),
      });
    }
    return { first, last: nextPatNum - 1 };
  }

  // -- the API ----------------------------------------------------------------------------------------

  /** Limit (capped at 100) and Offset, or a 400. */
  function paging(q: URLSearchParams): { limit: number; offset: number } | Answer {
    const limit = q.has('Limit') ? Number(q.get('Limit')) : MAX_LIMIT;
    const offset = q.has('Offset') ? Number(q.get('Offset')) : 0;
    if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) {
      return bad(400, 'Limit and Offset must be whole numbers.');
    }
    return { limit: Math.min(limit || MAX_LIMIT, MAX_LIMIT), offset };
  }

  /** "Changed after" a DateTStamp parameter, "yyyy-MM-dd HH:mm:ss" (or a bare date: its midnight). */
  function changedAfter(q: URLSearchParams): ((s: string) => boolean) | Answer | null {
    const raw = q.get('DateTStamp');
    if (raw == null) return null;
    const value = isDate(raw) ? `${raw} 00:00:00` : raw;
    if (!isDateTime(value) && value !== NO_DATE_TIME) return bad(400, 'DateTStamp is invalid.');
    return (s: string) => s > value;
  }

  /** A page of a list, every item carrying serverDateTime first, as Open Dental lists them. */
  function page<T extends object>(rows: T[], q: URLSearchParams, withServerTime = true): Answer {
    const p = paging(q);
    if (p instanceof Answer) return p;
    const serverDateTime = stamp();
    const slice = rows.slice(p.offset, p.offset + p.limit);
    return ok(withServerTime ? slice.map((r) => ({ serverDateTime, ...r })) : slice);
  }

  function listPatientsSimple(q: URLSearchParams): Answer {
    const after = changedAfter(q);
    if (after instanceof Answer) return after;
    const LName = q.get('LName');
    const FName = q.get('FName');
    const Birthdate = q.get('Birthdate');
    if (Birthdate && !isDate(Birthdate)) return bad(400, 'Birthdate is invalid.');
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : null);
    const [ClinicNum, PriProv, Guarantor] = [num('ClinicNum'), num('PriProv'), num('Guarantor')];
    const rows = [...patients.values()].filter(
      (p) =>
        (!after || after(p.DateTStamp)) &&
        (!LName || contains(p.LName, LName)) &&
        (!FName || contains(p.FName, FName)) &&
        (!Birthdate || p.Birthdate === Birthdate) &&
        (!q.get('PatStatus') || p.PatStatus === q.get('PatStatus')) &&
        (!q.get('Gender') || p.Gender === q.get('Gender')) &&
        (ClinicNum == null || p.ClinicNum === ClinicNum) &&
        (PriProv == null || p.PriProv === PriProv) &&
        (Guarantor == null || p.Guarantor === Guarantor),
    );
    return page(rows, q);
  }

  /** GET /patients: the Patient Select search, with its narrower set of fields. */
  function searchPatients(q: URLSearchParams): Answer {
    const Birthdate = q.get('Birthdate');
    if (Birthdate && !isDate(Birthdate)) return bad(400, 'Birthdate is invalid.');
    const phone = digits(q.get('Phone') ?? '');
    const hideInactive = q.get('hideInactive') === 'true';
    const showArchived = q.get('showArchived') === 'true';
    const clinics = q.get('clinicNums')?.split(',').map(Number);
    const text = (k: keyof StandInPatient) => (p: StandInPatient) =>
      !q.get(k) || contains(String(p[k]), q.get(k)!);
    const rows = [...patients.values()]
      .filter(
        (p) =>
          p.PatStatus !== 'Deleted' &&
          (showArchived || (p.PatStatus !== 'Archived' && p.PatStatus !== 'Deceased')) &&
          (!hideInactive || p.PatStatus !== 'Inactive') &&
          text('LName')(p) &&
          text('FName')(p) &&
          text('Email')(p) &&
          text('Address')(p) &&
          text('City')(p) &&
          text('State')(p) &&
          (!Birthdate || p.Birthdate === Birthdate) &&
          (!phone || [p.HmPhone, p.WkPhone, p.WirelessPhone].some((x) => digits(x).includes(phone))) &&
          (!clinics || clinics.includes(p.ClinicNum)),
      )
      .map((p) => ({
        PatNum: p.PatNum,
        LName: p.LName,
        FName: p.FName,
        MiddleI: p.MiddleI,
        Preferred: p.Preferred,
        PatStatus: p.PatStatus,
        Birthdate: p.Birthdate,
        SSN: p.SSN,
        Address: p.Address,
        Address2: p.Address2,
        City: p.City,
        State: p.State,
        Zip: p.Zip,
        HmPhone: p.HmPhone,
        WkPhone: p.WkPhone,
        WirelessPhone: p.WirelessPhone,
        Email: p.Email,
        priProvAbbr: p.priProvAbbr,
        BillingType: p.BillingType,
        ChartNumber: p.ChartNumber,
        ClinicNum: p.ClinicNum,
        clinicAbbr: p.clinicAbbr,
        TxtMsgOk: p.TxtMsgOk,
      }));
    return page(rows, q, false);
  }

  /** The fields a POST or PUT /patients may set, checked as the API Specification lists them. */
  function patientFields(body: Record<string, unknown>): Partial<StandInPatient> | Answer {
    const out: Record<string, unknown> = {};
    const strings = ['LName', 'FName', 'MiddleI', 'Preferred', 'Address', 'Address2', 'City', 'State', 'Zip'];
    strings.push(
      'HmPhone',
      'WkPhone',
      'WirelessPhone',
      'Email',
      'SSN',
      'ChartNumber',
      'Language',
      'Position',
    );
    for (const k of strings) {
      if (body[k] === undefined) continue;
      if (typeof body[k] !== 'string') return bad(400, `${k} must be a string.`);
      out[k] = body[k];
    }
    for (const k of ['PriProv', 'SecProv', 'ClinicNum', 'Guarantor', 'SuperFamily']) {
      if (body[k] === undefined) continue;
      if (!Number.isInteger(body[k])) return bad(400, `${k} must be a number.`);
      out[k] = body[k];
    }
    if (body.PatStatus !== undefined) {
      if (!PAT_STATUSES.includes(String(body.PatStatus))) return bad(400, 'PatStatus is invalid.');
      out.PatStatus = body.PatStatus;
    }
    if (body.Gender !== undefined) {
      if (!WRITABLE_GENDERS.includes(String(body.Gender))) return bad(400, 'Gender is invalid.');
      out.Gender = body.Gender;
    }
    if (body.Birthdate !== undefined) {
      if (typeof body.Birthdate !== 'string' || !(isDate(body.Birthdate) || body.Birthdate === NO_DATE)) {
        return bad(400, 'Birthdate is invalid.');
      }
      out.Birthdate = body.Birthdate;
    }
    return out as Partial<StandInPatient>;
  }

  function createPatient(body: Record<string, unknown>): Answer {
    const fields = patientFields(body);
    if (fields instanceof Answer) return fields;
    if (!fields.LName?.trim()) return bad(400, 'LName is required.');
    if (!fields.FName?.trim()) return bad(400, 'FName is required.');
    // Open Dental compares a new patient against existing ones (LName, FName, Birthdate, and email or
    // phone numbers) to prevent duplicates.
    const phones = [fields.HmPhone, fields.WkPhone, fields.WirelessPhone]
      .map((x) => digits(x ?? ''))
      .filter(Boolean);
    const duplicate = [...patients.values()].some(
      (p) =>
        p.PatStatus !== 'Deleted' &&
        p.LName.toLowerCase() === fields.LName!.trim().toLowerCase() &&
        p.FName.toLowerCase() === fields.FName!.trim().toLowerCase() &&
        !!fields.Birthdate &&
        fields.Birthdate !== NO_DATE &&
        p.Birthdate === fields.Birthdate &&
        ((!!fields.Email && p.Email.toLowerCase() === fields.Email.toLowerCase()) ||
          [p.HmPhone, p.WkPhone, p.WirelessPhone].some((x) => x && phones.includes(digits(x)))),
    );
    if (duplicate)
      return bad(400, 'A patient with the same name, birthdate and email or phone already exists.');
    const p = newPatient({
      ...fields,
      LName: fields.LName.trim(),
      FName: fields.FName.trim(),
    } as StandInPatient);
    return ok(p, 201, { location: `/patients/${p.PatNum}` });
  }

  function updatePatientApi(patNum: number, body: Record<string, unknown>): Answer {
    const p = patients.get(patNum);
    if (!p) return bad(404, 'Patient not found.');
    if (p.PatStatus === 'Deleted') return bad(400, 'Deleted patients cannot be modified.');
    const fields = patientFields(body);
    if (fields instanceof Answer) return fields;
    if (fields.LName === '' || fields.FName === '') return bad(400, 'LName and FName cannot be blank.');
    return ok(changePatient(patNum, fields));
  }

  function listAppointments(q: URLSearchParams): Answer {
    const after = changedAfter(q);
    if (after instanceof Answer) return after;
    for (const k of ['date', 'dateStart', 'dateEnd']) {
      if (q.get(k) && !isDate(q.get(k)!)) return bad(400, `${k} is invalid.`);
    }
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : null);
    const [PatNum, Op, ClinicNum] = [num('PatNum'), num('Op'), num('ClinicNum')];
    const date = q.get('date');
    const start = q.get('dateStart');
    const end = q.get('dateEnd');
    const rows = [...appointments.values()].filter((a) => {
      const day = a.AptDateTime.slice(0, 10);
      return (
        (!after || after(a.DateTStamp)) &&
        (PatNum == null || a.PatNum === PatNum) &&
        (Op == null || a.Op === Op) &&
        (ClinicNum == null || a.ClinicNum === ClinicNum) &&
        (!q.get('AptStatus') || a.AptStatus === q.get('AptStatus')) &&
        (!date || day === date) &&
        (!start || day >= start) &&
        (!end || day <= end)
      );
    });
    return page(rows, q);
  }

  function createAppointment(body: Record<string, unknown>): Answer {
    const PatNum = body.PatNum;
    if (!Number.isInteger(PatNum)) return bad(400, 'PatNum is required.');
    const patient = patients.get(PatNum as number);
    if (!patient || patient.PatStatus === 'Deleted') return bad(404, 'Patient not found.');
    if (!Number.isInteger(body.Op)) return bad(400, 'Op is required.');
    if (!operatories.some((o) => o.OperatoryNum === body.Op)) return bad(400, 'Op is invalid.');
    if (typeof body.AptDateTime !== 'string' || !isDateTime(body.AptDateTime)) {
      return bad(400, 'AptDateTime is required, in "yyyy-MM-dd HH:mm:ss" format.');
    }
    let Pattern = '/XX/';
    if (body.Pattern !== undefined) {
      if (typeof body.Pattern !== 'string' || !/^[X/]+$/.test(body.Pattern)) {
        return bad(400, "Pattern must consist of 'X' and '/' characters only.");
      }
      Pattern = body.Pattern.slice(0, MAX_PATTERN);
    }
    const AptStatus = body.AptStatus ?? 'Scheduled';
    if (!['Scheduled', 'Complete', 'UnschedList', 'PtNote', 'PtNoteCompleted'].includes(String(AptStatus))) {
      return bad(400, 'AptStatus is invalid.');
    }
    if (body.ProvNum !== undefined && !providers.some((p) => p.ProvNum === body.ProvNum)) {
      return bad(400, 'ProvNum is invalid.');
    }
    if (body.ClinicNum !== undefined && !Number.isInteger(body.ClinicNum))
      return bad(400, 'ClinicNum is invalid.');
    if (body.Note !== undefined && typeof body.Note !== 'string') return bad(400, 'Note must be a string.');
    const a = newAppointment({
      PatNum: PatNum as number,
      Op: body.Op as number,
      AptDateTime: body.AptDateTime,
      Pattern,
      AptStatus: String(AptStatus),
      ...(body.ProvNum !== undefined ? { ProvNum: body.ProvNum as number } : {}),
      ...(body.ClinicNum !== undefined ? { ClinicNum: body.ClinicNum as number } : {}),
      ...(body.Note !== undefined ? { Note: body.Note as string } : {}),
      ...(body.IsNewPatient === 'true' ? { IsNewPatient: 'true' } : {}),
    });
    return ok(a, 201, { location: `/appointments/${a.AptNum}` });
  }

  function updateAppointmentApi(aptNum: number, body: Record<string, unknown>): Answer {
    if (!appointments.has(aptNum)) return bad(404, 'Appointment not found.');
    const fields: Partial<StandInAppointment> = {};
    if (body.AptStatus !== undefined) {
      if (!APT_STATUSES.includes(String(body.AptStatus))) return bad(400, 'AptStatus is invalid.');
      fields.AptStatus = String(body.AptStatus);
    }
    if (body.Pattern !== undefined) {
      if (typeof body.Pattern !== 'string' || !/^[X/]+$/.test(body.Pattern))
        return bad(400, 'Pattern is invalid.');
      fields.Pattern = body.Pattern.slice(0, MAX_PATTERN);
    }
    if (body.AptDateTime !== undefined) {
      if (typeof body.AptDateTime !== 'string' || !isDateTime(body.AptDateTime)) {
        return bad(400, 'AptDateTime is invalid.');
      }
      fields.AptDateTime = body.AptDateTime;
    }
    for (const k of ['Op', 'ProvNum', 'ClinicNum'] as const) {
      if (body[k] === undefined) continue;
      if (!Number.isInteger(body[k])) return bad(400, `${k} is invalid.`);
      fields[k] = body[k] as number;
    }
    if (typeof body.Note === 'string') fields.Note = body.Note;
    return ok(changeAppointment(aptNum, fields));
  }

  /** PUT /appointments/{AptNum}/Break: only a Scheduled appointment; to the Unscheduled List, or Broken. */
  function breakAppointment(aptNum: number, body: Record<string, unknown>): Answer {
    const a = appointments.get(aptNum);
    if (!a) return bad(404, 'Appointment not found.');
    const send = body.sendToUnscheduledList;
    if (send !== 'true' && send !== 'false') {
      return bad(400, 'sendToUnscheduledList is required. Either "true" or "false".');
    }
    if (body.breakType !== undefined && body.breakType !== 'Missed' && body.breakType !== 'Cancelled') {
      return bad(400, 'breakType is invalid.');
    }
    if (a.AptStatus !== 'Scheduled') {
      return bad(400, 'Only appointments with an AptStatus of Scheduled can be broken.');
    }
    changeAppointment(aptNum, { AptStatus: send === 'true' ? 'UnschedList' : 'Broken' });
    return ok(null);
  }

  /** PUT /appointments/{AptNum}/Confirm: one of confirmVal or defNum; the status's name goes to `confirmed`. */
  function confirmAppointment(aptNum: number, body: Record<string, unknown>): Answer {
    const a = appointments.get(aptNum);
    if (!a) return bad(404, 'Appointment not found.');
    const names: Record<string, [number, string]> = {
      None: [19, 'Not Called'],
      Sent: [20, 'eConfirm Sent'],
      Confirmed: [21, 'Confirmed'],
      'Not Accepted': [22, 'Not Accepted'],
      Failed: [23, 'eConfirm Failed'],
    };
    const chosen = typeof body.confirmVal === 'string' ? names[body.confirmVal] : undefined;
    if (!chosen) return bad(400, 'confirmVal is invalid.');
    changeAppointment(aptNum, { Confirmed: chosen[0], confirmed: chosen[1] });
    return ok(null);
  }

  function listProviders(q: URLSearchParams): Answer {
    const after = changedAfter(q);
    if (after instanceof Answer) return after;
    const rows = providers.filter((p) => !after || after(p.DateTStamp));
    // With ClinicNum, Open Dental runs another query that returns no serverDateTime.
    return page(rows, q, !q.has('ClinicNum'));
  }

  function api(method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): Answer {
    const parts = path.split('/').filter(Boolean);
    const [resource, idText, action] = parts;
    const num = idText && /^\d+$/.test(idText) ? Number(idText) : null;
    if (resource === 'patients') {
      if (parts.length === 1 && method === 'GET') return searchPatients(q);
      if (parts.length === 1 && method === 'POST') return createPatient(body);
      if (parts.length === 2 && idText === 'Simple' && method === 'GET') return listPatientsSimple(q);
      if (parts.length === 2 && num != null && method === 'GET') {
        const p = patients.get(num);
        return p ? ok(p) : bad(404, 'Patient not found.');
      }
      if (parts.length === 2 && num != null && method === 'PUT') return updatePatientApi(num, body);
    }
    if (resource === 'appointments') {
      if (parts.length === 1 && method === 'GET') return listAppointments(q);
      if (parts.length === 1 && method === 'POST') return createAppointment(body);
      if (parts.length === 2 && num != null && method === 'GET') {
        const a = appointments.get(num);
        return a ? ok({ serverDateTime: stamp(), ...a }) : bad(404, 'Appointment not found.');
      }
      if (parts.length === 2 && num != null && method === 'PUT') return updateAppointmentApi(num, body);
      if (parts.length === 3 && num != null && action === 'Confirm' && method === 'PUT') {
        return confirmAppointment(num, body);
      }
      if (parts.length === 3 && num != null && action === 'Break' && method === 'PUT') {
        return breakAppointment(num, body);
      }
    }
    if (resource === 'providers' && parts.length === 1 && method === 'GET') return listProviders(q);
    if (resource === 'operatories' && parts.length === 1 && method === 'GET')
      return page(operatories, q, false);
    return bad(404, `${method} ${path} is not a method of this API.`);
  }

  // -- control surface (/_standin/) ---------------------------------------------------------------------

  function state() {
    return {
      patients: patients.size,
      appointments: appointments.size,
      providers: providers.length,
      delay_ms: delayMs,
      faults: faults.map(({ seen, hits, ...f }) => ({ ...f, seen, hits })),
      calls,
    };
  }

  function control(method: string, path: string, body: unknown): Answer {
    if (method === 'GET' && path === '/_standin/state') return ok(state());
    if (method === 'POST' && path === '/_standin/faults') {
      for (const f of Array.isArray(body) ? body : [body]) injectFault(f as FaultSpec);
      return ok({ faults: faults.length });
    }
    if (method === 'DELETE' && path === '/_standin/faults') {
      faults = [];
      return ok({ faults: 0 });
    }
    if (method === 'POST' && path === '/_standin/delay') {
      delayMs = Math.max(0, Number((body as { ms?: unknown })?.ms) || 0);
      return ok({ delay_ms: delayMs });
    }
    if (method === 'POST' && path === '/_standin/patients') {
      const b = (body ?? {}) as { count?: number; seed?: number; patients?: StandInPatient[] };
      if (Array.isArray(b.patients)) {
        const made = b.patients.map((p) => newPatient(p));
        return ok({ added: made.length, first: made[0]?.PatNum ?? null, last: made.at(-1)?.PatNum ?? null });
      }
      const range = addPatients(Math.max(0, Math.floor(Number(b.count) || 0)), b.seed ?? 1);
      return ok({ added: range.last - range.first + 1, ...range });
    }
    return bad(404, 'Unknown stand-in control.');
  }

  function injectFault(f: FaultSpec) {
    if (!['429', '500', 'hang', 'drop'].includes(f.kind)) throw new Error(`Unknown fault ${f.kind}`);
    faults.push({ ...f, seen: 0, hits: 0 });
  }

  /** The fault, if any, that hits this call (counting it against every fault it matches). */
  function faultFor(method: string, path: string): FaultSpec | null {
    let hit: FaultSpec | null = null;
    for (const f of faults) {
      const pathMatches =
        !f.path || (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : path === f.path);
      if ((f.method && f.method.toUpperCase() !== method) || !pathMatches) continue;
      f.seen++;
      if (!hit && f.seen >= (f.nth ?? 1) && f.hits < (f.times ?? 1)) {
        f.hits++;
        hit = f;
      }
    }
    faults = faults.filter((f) => f.hits < (f.times ?? 1));
    return hit;
  }

  // -- HTTP -------------------------------------------------------------------------------------------

  function send(res: ServerResponse, a: Answer) {
    const text = a.body === null || a.body === undefined ? '' : JSON.stringify(a.body);
    res.writeHead(a.status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      ...a.headers,
    });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    let body: unknown = {};
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, bad(400, 'The body is not valid JSON.'));
      }
    }
    if (url.pathname.startsWith('/_standin/')) return send(res, control(method, url.pathname, body));

    const call: CallRecord = { method, path: url.pathname, query: url.search, outcome: 0 };
    calls.push(call);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const fault = faultFor(method, url.pathname);
    const failAnswer = (f: FaultSpec) => {
      if (f.kind === 'hang') {
        call.outcome = 'hang'; // no answer at all: the caller's timeout ends it
        return;
      }
      if (f.kind === 'drop') {
        call.outcome = 'drop';
        req.socket.destroy();
        return;
      }
      const answer =
        f.kind === '429' ? bad(429, 'Too many requests.') : bad(500, 'An internal error occurred.');
      const headers: Record<string, string> =
        f.kind === '429' && f.retryAfter != null ? { 'retry-after': String(f.retryAfter) } : {};
      call.outcome = answer.status;
      send(res, new Answer(answer.status, answer.body, headers));
    };
    if (fault && !fault.after) return failAnswer(fault);

    let answer: Answer;
    if (req.headers.authorization !== expectedAuth) {
      answer = bad(401, 'Unauthorized.');
    } else if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      answer = bad(400, 'The body must be a JSON object.');
    } else {
      answer = api(
        method,
        url.pathname.replace(/\/+$/, ''),
        url.searchParams,
        body as Record<string, unknown>,
      );
    }
    if (fault) return failAnswer(fault);
    call.outcome = answer.status;
    send(res, answer);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, bad(500, 'An internal error occurred.'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addPatient: newPatient,
    addPatients,
    updatePatient: changePatient,
    setPatient: changePatient,
    addAppointment: newAppointment,
    updateAppointment: changeAppointment,
    patients: () => [...patients.values()],
    appointments: () => [...appointments.values()],
    providers: () => [...providers],
    calls,
    injectFault,
    clearFaults: () => {
      faults = [];
    },
    setDelay: (ms: number) => {
      delayMs = Math.max(0, ms);
    },
    serverDateTime: stamp,
  };
}
