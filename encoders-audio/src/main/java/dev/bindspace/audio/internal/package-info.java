/**
 * Implementation of the audio encoders: the RIFF/WAVE parser, the FFmpeg reader, torchaudio's sinc
 * resampler, ImageBind's clip rule and the Kaldi filterbank. Not API: may change without notice.
 */
package dev.bindspace.audio.internal;
