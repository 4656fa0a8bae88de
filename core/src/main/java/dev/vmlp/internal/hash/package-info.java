/**
 * Internal, not an API: the SHA-256 of weights that model metadata and files record. Public only for
 * the other modules of this project; it may change in any release.
 */
package dev.vmlp.internal.hash;
