/** Types of scripts/frame-locales.mjs (the build's list of frame locales), for the tests. */
export declare const FRAME_LOCALES: string[];
export declare const RTL_LOCALES: string[];
