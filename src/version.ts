import pkg from '../package.json' with { type: 'json' }

/**
 * SpaceOps' version: package.json's, the one place it is written (the release workflow tags
 * v<version> from it). The bundles inline it when they are built.
 */
export const VERSION: string = pkg.version
