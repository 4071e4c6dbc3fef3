// The API's reference health record system behind a switch, the way a real one behaves when it refuses or is
// down (the API's own appointments tests do the same): the bot's answers to both are tested through the
// real API, with the connector types of its internals.
import {
  ConnectorRefused,
  ConnectorUnreachable,
  type HealthRecordConnector,
  referenceConnector,
} from '@patients/api/internals';

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
  return { state, connectorFor: async () => connector };
}
