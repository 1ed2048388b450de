export { LibraryDialog } from './LibraryDialog.js';
export { useLibrary, type Library } from './use-library.js';
