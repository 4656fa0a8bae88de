/**
 * Internal, not an API: how messages quote text from input files, and what the provenance values of a
 * model's metadata look like. Public only for the library's own packages; it may change in any release.
 */
package dev.vmlp.internal.text;
