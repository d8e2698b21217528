/**
 * The {@code bindspace} command-line tool; {@link dev.bindspace.cli.BindspaceCli} is its entry point.
 * Everything else lives in {@code dev.bindspace.cli.internal}.
 */
package dev.bindspace.cli;
