// A score as lists and the form show it: "25 / 30 (83.33 %)" in points mode, "83.33 %" in percentage mode.
export function ScoreText({ score, maxScore, percent }: { score: number; maxScore: number; percent: number }) {
  return maxScore === 100 && score === percent ? <>{`${percent} %`}</> : <>{`${score} / ${maxScore} (${percent} %)`}</>;
}
