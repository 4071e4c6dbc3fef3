// The tRPC contract of SPEC 8: nine procedures, inputs and outputs from @patients/core.
import {
  appointment,
  bookAppointmentInput,
  bookAppointmentOutput,
  cancelAppointmentInput,
  createPatientInput,
  createPatientOutput,
  getPatientInput,
  listAppointmentsInput,
  listAppointmentsOutput,
  listLocationsInput,
  listLocationsOutput,
  listProvidersInput,
  listProvidersOutput,
  patient,
  searchPatientsInput,
  searchPatientsOutput,
  updatePatientInput,
} from '@patients/core';
import { protectedProcedure, router } from './trpc';

const patients = router({
  search: protectedProcedure
    .input(searchPatientsInput)
    .output(searchPatientsOutput)
    .query(async ({ ctx, input }) => ctx.services.patients.search(await ctx.tenant(input.subdomain), input)),
  get: protectedProcedure
    .input(getPatientInput)
    .output(patient)
    .query(async ({ ctx, input }) => ctx.services.patients.get(await ctx.tenant(input.subdomain), input)),
  create: protectedProcedure
    .input(createPatientInput)
    .output(createPatientOutput)
    .mutation(async ({ ctx, input }) =>
      ctx.services.patients.create(await ctx.tenant(input.subdomain), input),
    ),
  update: protectedProcedure
    .input(updatePatientInput)
    .output(patient)
    .mutation(async ({ ctx, input }) =>
      ctx.services.patients.update(await ctx.tenant(input.subdomain), input),
    ),
});

const appointments = router({
  book: protectedProcedure
    .input(bookAppointmentInput)
    .output(bookAppointmentOutput)
    .mutation(async ({ ctx, input }) => ({
      appt: await ctx.services.appointments.book(await ctx.tenant(input.subdomain), input),
    })),
  list: protectedProcedure
    .input(listAppointmentsInput)
    .output(listAppointmentsOutput)
    .query(async ({ ctx, input }) =>
      ctx.services.appointments.list(await ctx.tenant(input.subdomain), input),
    ),
  cancel: protectedProcedure
    .input(cancelAppointmentInput)
    .output(appointment)
    .mutation(async ({ ctx, input }) =>
      ctx.services.appointments.cancel(await ctx.tenant(input.subdomain), input),
    ),
});

export const appRouter = router({
  patients,
  appointments,
  locations: router({
    list: protectedProcedure
      .input(listLocationsInput)
      .output(listLocationsOutput)
      .query(async ({ ctx, input }) => ctx.services.practice.locations(await ctx.tenant(input.subdomain))),
  }),
  providers: router({
    list: protectedProcedure
      .input(listProvidersInput)
      .output(listProvidersOutput)
      .query(async ({ ctx, input }) =>
        ctx.services.practice.providers(await ctx.tenant(input.subdomain), input.location_id),
      ),
  }),
});

export type AppRouter = typeof appRouter;
