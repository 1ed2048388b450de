// What a selection sounds like: a short tone (Web Audio) and, where the platform has a voice, the
// target's label spoken. Both are best effort: a page without audio or speech stays silent.

let audio: AudioContext | undefined;

export function announceSelection(label: string): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 660;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.15);
  } catch {
    // no audio output
  }
  try {
    if ('speechSynthesis' in window && window.speechSynthesis.getVoices().length > 0) {
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(label));
    }
  } catch {
    // no voice
  }
}

/** Silences any speech at once (a stop). */
export function silence(): void {
  try {
    if ('speechSynthesis' in window) window.speechSynthesis.cancel();
  } catch {
    // nothing to silence
  }
}
