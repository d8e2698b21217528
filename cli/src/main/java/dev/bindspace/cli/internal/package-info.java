/**
 * Internal API of the CLI: the commands, the model seam ({@link dev.bindspace.cli.internal.MediaEmbedder},
 * filled by {@link dev.bindspace.cli.internal.MediaSupport}), the index store, the ingester, the query
 * expression parser and the HTML report. Not a stable API.
 */
package dev.bindspace.cli.internal;
