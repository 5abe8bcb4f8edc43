// Czech stop words. Snowball publishes no Czech list; this is a small list of Czech function words
// (pronouns, prepositions, conjunctions, forms of "být"), written with diacritics as Czech is written.
export default `
a aby aj ale ani aniž asi až bez bude budem budeme budete budeš budou budu by byl byla byli bylo byly bych
bychom byste být co což či do i jak jako je jeho jej její jejich jemu jen jenž ještě ji jí jich jím jimi
jsem jsi jsme jsou jste k kam kde kdo kdy když ke kterou který která které kteří kterého kterým ku má mají
mám máme máš máte mé mě mezi mi mně mnou mne můj moje my na nad nám námi nás naše náš naši ne než nebo
nebyl není něj ní nich nim ním o od on ona oni ono ony po pod podle pokud pro proč proto protože před přes
při s se si sice své svůj svá svého svou svých ta tak také takže tam tato té tě tedy ten tento tím tímto
to tohle toho tohoto tom tomto tomu tu tuto ty tyto u už v vám vámi vás váš vaše ve však vy z za zda ze že
již
`;
