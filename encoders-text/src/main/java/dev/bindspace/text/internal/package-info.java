/**
 * Implementation details of bindspace-encoders-text: the ftfy port and its generated tables, Python
 * string semantics, the BPE and WordPiece models, a small JSON reader. Nothing here is API; it may
 * change in any release.
 */
package dev.bindspace.text.internal;
