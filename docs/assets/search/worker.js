/*
 * Search worker of the bilingual site: Material's own search worker (lunr), given the index
 * of the page's language, with Ukrainian word forms reconciled.
 *
 * Why a wrapper and not a new engine: Material's worker already does the ranking, the
 * grouping by page and section, the highlighting and the message protocol its search box
 * speaks; replacing it would mean rebuilding the search UI and its keyboard behaviour.
 * We only change what goes in:
 *
 *   1. the index: one file per language (hooks/search_hooks.py writes
 *      search/search_index.<lang>.json), so a Ukrainian page searches Ukrainian pages and an
 *      English page English ones; the bundle's own search_index.json is an empty stub;
 *   2. the words: one function, key(), normalizes every token of the index (lunr's index
 *      pipeline) and every word of the query (rewritten here before Material parses it);
 *      so whatever normalizes the index meets whatever normalizes the query. For Ukrainian
 *      words key() looks the word up in a form -> lemma table built at build time with a
 *      morphological dictionary (lessons/search_norm.py) and limited to the site's own
 *      vocabulary; Latin words go through lunr's English stemmer; a size («7×7», "7x7",
 *      «7х7» with the Cyrillic х of a Ukrainian keyboard) becomes «7×7»; anything else stays;
 *   3. hidden keywords: on the Ukrainian site a section that teaches a glossary term carries
 *      the term's English name in a "keywords" field (searched, never displayed, counted
 *      for phrases), so «receptive field» finds the lesson, not only the glossary.
 *
 * Material appends "*" to each query word (prefix search), and lunr skips its search
 * pipeline for such words, so the query side must be normalized here, before Material sees
 * it. We keep the prefix search: a half-typed word («рецептивно…») is completed from the
 * word forms the table knows, then normalized. Each position in the text holds one term
 * (its key), as Material's highlighter expects.
 *
 * Parameters (query string of this script's URL, set by the hook in every page):
 *   lang   - the page's language ("uk", "en")
 *   index  - the language's index, relative to this script
 *   worker - Material's worker script, relative to this script
 */
"use strict"

/* ----------------------------------------------------------------------------------------
 * Pure part: word normalization (also loadable in Node for tests)
 * ------------------------------------------------------------------------------------- */

const APOSTROPHES = /[\u2019\u02bc]/g
const CYRILLIC = /[\u0400-\u04ff]/
const LATIN = /[a-z]/
// a size: digits joined by Latin x, Cyrillic х or × (as lessons.search_norm.dimensions)
const DIMENSIONS = /^[0-9]+(?:[x\u0445\u00d7][0-9]+)+$/
const TIMES = /[x\u0445\u00d7]/g

/** «7×7» for «7х7», "7x7", «7×7» (as lessons.search_norm.dimensions), else null. */
function dimensions(word) {
  return DIMENSIONS.test(word) ? word.replace(TIMES, "\u00d7") : null
}

/** Lower case, one apostrophe, none at the ends (as lessons.search_norm.canonical). */
function canonical(word) {
  return word.toLowerCase().replace(APOSTROPHES, "'").replace(/^'+|'+$/g, "")
}

/** Unpack the form -> key table (as lessons.search_norm.decode_table). */
function decodeTable(packed) {
  const table = new Map()
  for (const line of (packed && packed.keys) || []) {
    const [key, ...forms] = line.split(" ")
    table.set(key, key)
    for (const code of forms) {
      const m = /^(\d+)(.*)$/.exec(code)
      table.set(key.slice(0, key.length - Number(m[1])) + m[2], key)
    }
  }
  for (const form of (packed && packed.stop) || [])
    table.set(form, "")
  return table
}

/**
 * The normalizer of one language.
 *
 * @param table - form -> key ("" = function word) for Cyrillic words
 * @param endings - inflectional endings, longest first (query fallback only)
 * @param stem - English stemmer for a Latin word (string -> string)
 * @param isStop - whether a Latin word is an English stop word
 */
function makeNormalizer({ table, endings, stem, isStop }) {

  /** The key of one canonical word: "" drops it. */
  function key(word) {
    const size = dimensions(word)
    if (size !== null) return size
    if (CYRILLIC.test(word)) {
      const found = table.get(word)
      return found === undefined ? word : found
    }
    if (LATIN.test(word))
      return isStop(word) ? "" : stem(word)
    return word
  }

  /** The index term of one token (lunr's index pipeline): its key, "" to drop it. */
  function indexTerm(token) {
    const word = canonical(token)
    return word && key(word)
  }

  /** The longest inflectional ending off a Cyrillic word (stem of 3 letters or more). */
  function stripEnding(word) {
    for (const ending of endings)
      if (word.endsWith(ending) && word.length - ending.length >= 3)
        return word.slice(0, -ending.length)
    return null
  }

  /**
   * The query term for one word the reader typed. `index` answers two questions about
   * the site: hasPrefix(p), does some index term start with p; formKeys(p), the keys of the
   * known word forms that start with p (the site's words and all their forms).
   *
   * 1. its key, if some index term starts with it (a whole word, or a key's beginning);
   * 2. a half-typed word («рецептивно…», «normaliz…»): what the keys of the forms it
   *    begins have in common («рецептивн», «normal»);
   * 3. a Ukrainian word the site never uses: the word less its endings, one at a time;
   * 4. else the longest beginning (two thirds of the word, 5 letters at least) that some
   *    index term shares: «нормалізаційний» -> «нормалізаці»; «градус» finds no «град…».
   */
  function queryTerm(typed, index) {
    const word = canonical(typed)
    if (!word) return typed
    const k = key(word)
    if (k === "") return ""
    if (index.hasPrefix(k)) return k
    const keys = index.formKeys(word)
    if (keys.length) {
      let common = keys[0]
      for (const other of keys)
        while (!other.startsWith(common)) common = common.slice(0, -1)
      if (common.length >= Math.min(3, word.length)) return common
    }
    if (CYRILLIC.test(word))
      for (let s = stripEnding(word); s; s = stripEnding(s))
        if (index.hasPrefix(s)) return s
    for (let n = word.length - 1; n >= Math.max(5, Math.ceil(word.length * 2 / 3)); n--)
      if (index.hasPrefix(word.slice(0, n))) return word.slice(0, n)
    return k
  }

  return { key, indexTerm, stripEnding, queryTerm }
}

/**
 * Rewrite a query in Material's syntax word by word (operators + - * ~ ^ " kept): each
 * word becomes its query term; a word the reader ended with "*" is left as typed.
 */
function rewriteQuery(query, wordClass, term) {
  const word = new RegExp(wordClass)
  // separators inside a term (a hyphen in «міні-пакет», a dot in «lessons.conv») split it
  // the way the index was split; "-" at a term's start is lunr's NOT operator and stays
  let out = ""
  for (let i = 0; i < query.length; i++) {
    const c = query[i]
    const kept = /[\s+*~^":]/.test(c) || word.test(c) ||
      (c === "-" && (i === 0 || /\s/.test(query[i - 1])))
    out += kept ? c : " "
  }
  const run = new RegExp(`${wordClass}+`, "g")
  return out.replace(run, (w, offset, all) => {
    const next = all[offset + w.length]
    if (next === "*" || next === ":") return w.toLowerCase()
    return term(w)
  }).replace(/\s+/g, " ").trim()
}

/** Binary search: the first position in `sorted` whose string is >= `prefix`. */
function lowerBound(sorted, prefix) {
  let lo = 0, hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < prefix) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * What the query side needs to know of the index: its terms (for hasPrefix) and the known
 * word forms with their keys (for formKeys; a prefix shared by too many forms says nothing).
 */
function siteIndex(terms, forms, limit = 64) {
  const sortedTerms = [...new Set(terms)].sort()
  const sortedForms = [...forms.keys()].sort()
  return {
    hasPrefix(prefix) {
      const i = lowerBound(sortedTerms, prefix)
      return i < sortedTerms.length && sortedTerms[i].startsWith(prefix)
    },
    formKeys(prefix) {
      const keys = new Set()
      for (let i = lowerBound(sortedForms, prefix);
        i < sortedForms.length && sortedForms[i].startsWith(prefix); i++) {
        const k = forms.get(sortedForms[i])
        if (k) keys.add(k)
        if (keys.size > limit) return []
      }
      return [...keys].sort()
    }
  }
}

/**
 * Whether the keys of a text hold the query terms next to each other, in order (each
 * term matching as a prefix, as lunr matches it): «ланцюгове правило» as a phrase.
 */
function hasPhrase(keys, terms) {
  if (terms.length < 2) return false
  for (let i = 0; i + terms.length <= keys.length; i++) {
    let j = 0
    while (j < terms.length && keys[i + j].startsWith(terms[j])) j++
    if (j === terms.length) return true
  }
  return false
}

/** The plain terms of a rewritten query (operators and modifiers off, NOT terms out). */
function queryTerms(query) {
  return query.split(/\s+/)
    .filter(part => part && !part.startsWith("-"))
    .map(part => part.replace(/^[+"]+/, "").replace(/["*]+$|[~^]\d*$/g, ""))
    .filter(Boolean)
}

if (typeof module !== "undefined" && module.exports)
  module.exports = {
    canonical, dimensions, decodeTable, makeNormalizer, rewriteQuery, siteIndex, hasPhrase,
    queryTerms
  }

/* ----------------------------------------------------------------------------------------
 * Worker part: wrap Material's worker
 * ------------------------------------------------------------------------------------- */

if (typeof importScripts === "function") {
  const params = new URL(self.location.href).searchParams
  const here = self.location.href

  /* Load Material's worker, keeping its message listener for ourselves */
  let material = null
  const addEventListener = self.addEventListener
  self.addEventListener = function (type, listener, options) {
    if (type === "message" && material === null) material = listener
    else addEventListener.call(self, type, listener, options)
  }
  importScripts(new URL(params.get("worker"), here).href)
  self.addEventListener = addEventListener

  const lunr = self.lunr
  const englishStem = lunr.stemmer
  const stemCache = new Map()
  const stem = word => {
    let s = stemCache.get(word)
    if (s === undefined) stemCache.set(word, s = englishStem(new lunr.Token(word)).toString())
    return s
  }
  const isStop = word => lunr.stopWordFilter(new lunr.Token(word)) === undefined

  let normalizer = null
  let wordClass = null
  let index = null
  let keysOf = new Map()   // location -> keys of its title and text, in order
  let wordsOf = new Map()  // location -> the same words as written (canonical)
  let hiddenOf = new Map() // location -> keys of its hidden keywords
  let terms = []           // terms of the query being answered
  let supporting = new Set() // pages that list topics (home, glossary, API reference)

  /*
   * lunr's default index pipeline is trimmer, stop word filter, stemmer, and its search
   * pipeline only the stemmer. Our normalizer takes the trimmer's place and the index
   * config keeps only "trimmer": so it runs on the index alone (queries arrive normalized
   * and must not be normalized twice).
   */
  function normalizeToken(token) {
    const term = normalizer.indexTerm(token.toString())
    return term ? token.clone(() => term) : undefined
  }
  lunr.Pipeline.registerFunction(normalizeToken, "lessons-normalize")
  lunr.trimmer = normalizeToken

  /* Fetch the index at once: the bundle sends its setup message only after its own fetch */
  const indexUrl = new URL(params.get("index"), here)
  const indexData = fetch(indexUrl).then(response => {
    if (!response.ok)
      throw new Error(`search index ${indexUrl}: HTTP ${response.status}`)
    return response.json()
  })
  indexData.catch(() => {})  // reported when setup awaits it

  async function setup(message) {
    const data = await indexData
    wordClass = data.config.word
    supporting = new Set(data.config.supporting || [])
    normalizer = makeNormalizer({
      table: decodeTable(data.forms),
      endings: data.config.endings || [],
      stem,
      isStop
    })
    // every term the index will hold, and every known form with its key (the table's
    // forms, and the site's own Latin words, whose key is their English stem)
    const table = decodeTable(data.forms)
    const split = new RegExp(data.config.separator)
    const all = []
    keysOf = new Map()
    wordsOf = new Map()
    hiddenOf = new Map()
    for (const doc of data.docs) {
      const keys = [], written = [], hidden = []
      // the hidden keywords (English glossary terms, never displayed) count for phrases
      // and prefixes, but their words are not highlighted on the page: it lacks them
      for (const [field, out] of [[doc.title, keys], [doc.text, keys], [doc.keywords, hidden]])
        for (const token of (field || "").replace(/<[^>]*>/g, " ").split(split)) {
          const word = canonical(token)
          const term = word && normalizer.key(word)
          if (!term) continue
          out.push(term)
          if (out === keys) written.push(word)
          if (!table.has(word)) table.set(word, term)
        }
      keysOf.set(doc.location, keys)
      wordsOf.set(doc.location, written)
      if (hidden.length) hiddenOf.set(doc.location, hidden)
      all.push(...keys, ...hidden)
    }
    index = siteIndex(all, table)
    return {
      type: message.type,
      data: {
        config: { ...data.config, lang: ["en"], pipeline: ["trimmer"] },
        docs: data.docs,
        options: message.data.options
      }
    }
  }

  let typedOf = new Map()  // query term -> the word the reader typed for it

  function query(message) {
    typedOf = new Map()
    const rewritten = rewriteQuery(message.data, wordClass, word => {
      const term = normalizer.queryTerm(word, index)
      if (term) typedOf.set(term, word)
      return term
    })
    terms = queryTerms(rewritten)
    return { type: message.type, data: rewritten }
  }

  /*
   * A query of several words ranks first the pages that have them as a phrase (lunr scores
   * each word on its own, so a page with «ланцюгове» here and «правило» there could
   * outrank the page that teaches «ланцюгове правило»), lessons before the pages that only
   * list topics (home, glossary, API reference). Otherwise Material's order stays.
   */
  const post = self.postMessage.bind(self)
  self.postMessage = function (message) {
    if (message && message.type === 3 && message.data && message.data.items) {
      const items = message.data.items
      if (terms.length > 1) {
        const phrase = group => group.some(item =>
          hasPhrase(keysOf.get(item.location) || [], terms) ||
          hasPhrase(hiddenOf.get(item.location) || [], terms))
        const support = group => supporting.has(group[0].location.split("#")[0])
        const ranked = items.map((group, i) => [+!phrase(group), +support(group), i, group])
        ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])
        message.data.items = ranked.map(r => r[3])
      }
      for (const group of message.data.items)
        for (const item of group) {
          addWrittenForms(item)
          showTypedMissing(item)
        }
    }
    post(message)
  }

  /*
   * The page a result links to highlights the words in its "h" parameter, which Material
   * makes of the item's found terms: our keys («рецептивний»), which the text may not
   * hold as written. Add the forms the section has («рецептивне», «поля») as found terms.
   */
  function addWrittenForms(item) {
    const keys = keysOf.get(item.location), written = wordsOf.get(item.location)
    if (!keys || !item.terms) return
    let added = 0
    for (let i = 0; i < keys.length && added < 16; i++)
      if (!(written[i] in item.terms) && terms.some(t => keys[i].startsWith(t))) {
        item.terms[written[i]] = true
        added++
      }
  }

  /* A result lists the words it lacks: as the reader typed them, not as our keys */
  function showTypedMissing(item) {
    if (!item.terms) return
    for (const [term, found] of Object.entries(item.terms))
      if (!found && typedOf.has(term)) {
        delete item.terms[term]
        item.terms[typedOf.get(term)] = false
      }
  }

  /* Messages are handled in order: a query waits for the index */
  let queue = Promise.resolve()
  self.addEventListener("message", ev => {
    const message = ev.data
    queue = queue.then(async () => {
      let forwarded = message
      if (message.type === 0) forwarded = await setup(message)          // SETUP
      else if (message.type === 2 && normalizer) forwarded = query(message) // QUERY
      await material({ data: forwarded })
    }).catch(err => console.error(err))
  })
}
