declare const __CARDVAULT_VERSION__: string;
