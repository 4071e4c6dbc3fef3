import { describe, expect, it } from 'vitest';
import {
  editRefusal,
  isEditable,
  isNewPatient,
  NEX_FOREIGN_ID_TYPE,
  NOT_EDITABLE_MESSAGE,
} from './lifecycle';

describe('lifecycle', () => {
  it('a patient not yet inserted (foreign_id_type "nex") is new and editable', () => {
    const p = { foreign_id_type: NEX_FOREIGN_ID_TYPE };
    expect(NEX_FOREIGN_ID_TYPE).toBe('nex');
    expect(isNewPatient(p)).toBe(true);
    expect(isEditable(p)).toBe(true);
    expect(editRefusal(p)).toBeNull();
  });

  it.each(['OpenDental', 'Dentrix', 'Eaglesoft', 'NEX', 'nex ', ''])(
    'a patient with foreign_id_type %j is inserted and not editable',
    (type) => {
      const p = { foreign_id_type: type };
      expect(isNewPatient(p)).toBe(false);
      expect(isEditable(p)).toBe(false);
      expect(editRefusal(p)).toBe(NOT_EDITABLE_MESSAGE);
    },
  );

  it('refuses with the message of SPEC 4.5', () => {
    expect(NOT_EDITABLE_MESSAGE).toBe(
      'Patient has been inserted into the health record system and can no longer be edited through this API',
    );
  });
});
