// The pure domain rules of the patients service: normalising, nicknames, fuzzy names, duplicates, lifecycle.
export * from './duplicates';
export * from './lifecycle';
export * from './names';
export * from './nicknames';
export * from './normalize';
export * from './searchBox';
