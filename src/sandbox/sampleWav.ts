// The sandbox's sample audio (served for every `.wav` below /media), made here instead of shipped:
// 2 s of mono 16-bit PCM at 22050 Hz, a linear chirp from 220 to 880 Hz at half scale, faded in over
// 20 ms and out from 1.95 s over 50 ms. Sample for sample what ffmpeg made of
//   aevalsrc=exprs='0.5*sin(2*PI*(220*t+165*t*t))':sample_rate=22050:duration=2,
//   afade=t=in:d=0.02,afade=t=out:st=1.95:d=0.05   (pcm_s16le, -fflags +bitexact)
// (the media/sample.wav it replaces).

const RATE = 22050;
const SECONDS = 2;
const FADE_IN = 0.02;
const FADE_OUT_START = 1.95;
const FADE_OUT = 0.05;

let cached: Buffer | undefined;

/** The sample WAV (44-byte RIFF header + PCM), built on first use and kept. */
export function sampleWav(): Buffer {
  return (cached ??= chirpWav());
}

function chirpWav(): Buffer {
  const count = RATE * SECONDS;
  const fadeIn = Math.round(FADE_IN * RATE);
  const fadeOutStart = Math.round(FADE_OUT_START * RATE);
  const fadeOut = Math.round(FADE_OUT * RATE);
  const dataBytes = count * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(RATE, 24);
  wav.writeUInt32LE(RATE * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let n = 0; n < count; n++) {
    const t = n / RATE;
    // phase = 2π(f0·t + (f1 − f0)/(2T)·t²), f0 = 220 Hz, f1 = 880 Hz, T = 2 s
    const gainIn = Math.min(1, n / fadeIn);
    const gainOut = Math.min(1, (fadeOut - (n - fadeOutStart)) / fadeOut);
    const sample = 0.5 * gainIn * gainOut * Math.sin(2 * Math.PI * (220 * t + 165 * t * t));
    wav.writeInt16LE(Math.round(sample * 32768), 44 + n * 2); // |sample| ≤ 0.5: never clips
  }
  return wav;
}
