/**
 * Stop words, written in folded form (no accents, lower case) because they are looked up after
 * folding. The lists are curated for short activity descriptions: besides grammatical words they
 * hold the boilerplate verbs people put in front of every activity ("we offer", "nous
 * proposons"), which say nothing about what the activity is.
 */

const FRENCH = `
a ai aie aient aies ait alors au aucun aucune aupres auquel aussi autre autres aux auxquelles
auxquels avaient avais avait avant avec avez aviez avions avoir avons ayant c ca car ce ceci cela
celle celles celui cependant certain certaine certaines certains ces cet cette ceux chacun chacune
chaque chez ci comme comment d dans de des depuis donc dont du duquel durant elle elles en encore
entre es est et etaient etais etait etant etre eu eux fait faire font hors ici il ils j je
jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lors lorsque lui m ma mais me meme
memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut peuvent plus plusieurs
pour pourquoi pres puis qu quand que quel quelle quelles quels qui quoi s sa sans se selon
sera seront ses si sien son sont sous suis sur t ta tandis te tel telle telles tels tes toi ton
tous tout toute toutes tres tu un une unes uns vers via voici voila vos votre vous y
aujourdhui afin ainsi apres chez deja ensuite etc ex egalement parmi pendant plutot quant soit
offrons offre offrir offert proposons propose proposer organisons organise organiser
permet permettre visant vise notamment
`;

const ENGLISH = `
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could couldn did didn do does doesn doing don down
during each either etc ever every few for from further had hadn has hasn have haven having he her
here hers herself him himself his how i if in into is isn it its itself just let ll me more most
mustn my myself no nor not now of off on once only or other our ours ourselves out over own per
re same shan she should shouldn so some such than that the their theirs them themselves then there
these they this those through thus to too under until up upon us ve very was wasn we were weren
what when where which while who whom whose why will with won would wouldn you your yours yourself
yourselves
offer offers offered offering provide provides provided providing run runs host hosts hosted
deliver delivers delivered aim aims
`;

const toSet = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));

/** French stop words (folded). */
export const FRENCH_STOPWORDS: ReadonlySet<string> = toSet(FRENCH);
/** English stop words (folded). */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = toSet(ENGLISH);

/**
 * Words that are grammatical in one language only; used as language evidence. Words in both lists
 * ("a", "on", "per"...) prove nothing.
 */
export const FRENCH_ONLY: ReadonlySet<string> = new Set([...FRENCH_STOPWORDS].filter((w) => !ENGLISH_STOPWORDS.has(w)));
/** See {@link FRENCH_ONLY}. */
export const ENGLISH_ONLY: ReadonlySet<string> = new Set([...ENGLISH_STOPWORDS].filter((w) => !FRENCH_STOPWORDS.has(w)));

/** True when a folded, lower-case token is a stop word in either language. */
export function isStopword(folded: string): boolean {
  return FRENCH_STOPWORDS.has(folded) || ENGLISH_STOPWORDS.has(folded);
}
