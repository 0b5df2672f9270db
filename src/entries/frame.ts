/**
 * The frame document's script (dist/frame/cardvault-frame.js), served from the frame origin and
 * pinned by `integrity` in card.html. It only runs inside a frame: opened on its own it has no
 * host to talk to and does nothing.
 */
import { startFrame } from '../frame/frame-app';

if (typeof window !== 'undefined' && window.parent !== window) startFrame({ win: window });
