declare const __MLENV_VERSION__: string | undefined;
/** Injected by the build from package.json; '0.0.0-dev' when running from source (tests). */
export const VERSION: string = typeof __MLENV_VERSION__ === 'string' ? __MLENV_VERSION__ : '0.0.0-dev';
