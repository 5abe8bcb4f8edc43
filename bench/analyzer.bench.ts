// Text analyzer throughput per language: MB of text analysed per second, cold (empty token cache) and warm.
//   node --import tsx bench/analyzer.bench.ts          (EARSHOT_BENCH_MB=1 by default)
// Target: 1 MB of mixed text well under a second (> 2 MB/s) in every language.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { analyze, clearAnalyzerCaches, LANGUAGES, type Language } from '../src/search/analyzer/index.ts';

const SAMPLES: Record<Language, string> = {
  en: "Hello, thank you for calling, my name is Jamie. I'm calling about my internet bill, it's much higher than last month. Could you help me understand the charges? I've been a customer for years and I'm not interested in a new contract. The technician didn't show up on Tuesday and nobody called to reschedule.",
  fr: "Bonjour, merci d'avoir appelé, je m'appelle Camille. J'appelle au sujet de ma facture internet, elle est beaucoup plus élevée que le mois dernier. Pourriez-vous m'aider à comprendre les frais ? Je suis client depuis des années et la réclamation n'a pas été traitée.",
  es: 'Hola, gracias por llamar, me llamo Lucía. Llamo por mi factura de internet, es mucho más alta que el mes pasado. ¿Podría ayudarme a entender los cargos? Soy cliente desde hace años y la reclamación todavía no se ha resuelto.',
  pt: 'Olá, obrigado por ligar, o meu nome é João. Estou a ligar por causa da minha fatura de internet, está muito mais alta do que no mês passado. Pode ajudar-me a perceber as cobranças? Sou cliente há anos e a reclamação ainda não foi resolvida.',
  de: 'Guten Tag, vielen Dank für Ihren Anruf, mein Name ist Jonas. Ich rufe wegen meiner Internetrechnung an, sie ist viel höher als im letzten Monat. Können Sie mir helfen, die Gebühren zu verstehen? Die Kündigungsbestätigung habe ich nie erhalten.',
  ru: 'Здравствуйте, спасибо за звонок, меня зовут Алексей. Я звоню по поводу счёта за интернет, он намного больше, чем в прошлом месяце. Не могли бы вы помочь мне разобраться с начислениями? Я клиент уже много лет, а жалобу так и не рассмотрели.',
  cs: 'Dobrý den, děkuji za zavolání, jmenuji se Tereza. Volám kvůli faktuře za internet, je mnohem vyšší než minulý měsíc. Mohl byste mi pomoci pochopit poplatky? Jsem zákazníkem už mnoho let a reklamace stále nebyla vyřízena.',
};

const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Sentences of the language, with ids, emails, amounts and made-up words mixed in (so the cache also misses). */
function corpus(lang: Language, bytes: number, seed: number): string {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const words = SAMPLES[lang].split(' ');
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const r = rand();
    let w: string;
    if (r < 0.01) w = randomUUID();
    else if (r < 0.015) w = `client${Math.floor(rand() * 1e5)}@example.com`;
    else if (r < 0.03) w = `CX-${Math.floor(rand() * 1e4)}`;
    else if (r < 0.08)
      w = words[Math.floor(rand() * words.length)]! + String.fromCharCode(97 + Math.floor(rand() * 26)) + String.fromCharCode(97 + Math.floor(rand() * 26));
    else w = words[Math.floor(rand() * words.length)]!;
    parts.push(w);
    size += Buffer.byteLength(w) + 1;
    if (rand() < 0.02) parts.push('\n');
  }
  return parts.join(' ');
}

export interface AnalyzerBenchFigure {
  lang: Language;
  mb: number;
  terms: number;
  coldMbPerSec: number;
  warmMbPerSec: number;
}

export async function runAnalyzerBench(): Promise<AnalyzerBenchFigure[]> {
  const sizeMb = Number(process.env.EARSHOT_BENCH_MB ?? 1);
  console.log(`Text analyzer: ${sizeMb} MB of mixed text per language (UTF-8 size), median of 5 warm runs`);
  const figures: AnalyzerBenchFigure[] = [];
  for (const lang of LANGUAGES) {
    const text = corpus(lang, sizeMb * MB, 42);
    const mb = Buffer.byteLength(text) / MB;
    clearAnalyzerCaches();
    let t = performance.now();
    const terms = analyze(text, lang).length;
    const cold = (performance.now() - t) / 1000;
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      analyze(text, lang);
      warm.push((performance.now() - t) / 1000);
    }
    const fig = { lang, mb, terms, coldMbPerSec: mb / cold, warmMbPerSec: mb / median(warm) };
    figures.push(fig);
    console.log(
      `  ${lang}  ${mb.toFixed(2)} MB  ${String(terms).padStart(8)} terms  cold ${fig.coldMbPerSec.toFixed(2)} MB/s (${(cold * 1000).toFixed(0)} ms)  warm ${fig.warmMbPerSec.toFixed(2)} MB/s (${(median(warm) * 1000).toFixed(0)} ms)`,
    );
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runAnalyzerBench();
