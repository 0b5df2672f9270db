export * from './messages';
export * from './envelope';
