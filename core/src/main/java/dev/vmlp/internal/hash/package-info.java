/**
 * Internal, not an API: the SHA-256 of weights that model metadata and files record. Public only for
 * the library's own packages (a trainer's and a model's weights in {@code dev.vmlp}, the model files in
 * {@code dev.vmlp.io}); it may change in any release.
 */
package dev.vmlp.internal.hash;
