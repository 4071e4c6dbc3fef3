// The reference health record system behind a switch: the way a real one behaves when it refuses (400 with
// its reason) or is down (502). Used by the API's appointment tests and, through the package export
// `@patients/api/test-support/switchableConnector`, by the bot's, which check what staff are told.
import {
  ConnectorRefused,
  ConnectorUnreachable,
  type HealthRecordConnector,
} from '../../src/connectors/connector';
import { referenceConnector } from '../../src/connectors/reference';

export function switchableConnector() {
  const state: { mode: 'up' | 'refuse' | 'down' } = { mode: 'up' };
  const guard = () => {
    if (state.mode === 'refuse') throw new ConnectorRefused('the chart is locked');
    if (state.mode === 'down') throw new ConnectorUnreachable('connection refused');
  };
  const connector: HealthRecordConnector = {
    ...referenceConnector,
    insertPatient: async (s, p) => {
      guard();
      return referenceConnector.insertPatient(s, p);
    },
    bookAppointment: async (s, a) => {
      guard();
      return referenceConnector.bookAppointment(s, a);
    },
  };
  return { state, connector, connectorFor: async () => connector };
}
