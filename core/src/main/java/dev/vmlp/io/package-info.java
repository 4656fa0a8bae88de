/**
 * Model files: {@link dev.vmlp.io.ModelFiles} saves and loads {@link dev.vmlp.Model}s as
 * safetensors files, and rejects malformed ones with a {@link dev.vmlp.io.ModelFormatException} that
 * names what is wrong.
 */
package dev.vmlp.io;
