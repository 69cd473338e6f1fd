/**
 * ringio's public API: {@link dev.ringio.IoEngine} (one interface for every engine),
 * {@link dev.ringio.IoEngines} (open one), {@link dev.ringio.EngineConfig},
 * {@link dev.ringio.Fd} (reference-counted descriptors), and the error types
 * {@link dev.ringio.NativeIoException} and {@link dev.ringio.Errno}, with
 * {@link dev.ringio.PartialProgress} for transfers that end early.
 */
package dev.ringio;
