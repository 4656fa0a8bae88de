/**
 * Internal, not an API: how files are replaced whole or not at all. Public only for the library's own
 * packages (the model files and the command line's reports); it may change in any release.
 */
package dev.vmlp.internal.io;
