// The parts of @patients/api the instruments drive, in one place.
export * from '@patients/api/internals';
