/**
 * What in an HTML page would make a browser fetch (or send the reader to) another host: an absolute or
 * protocol-relative URL in a `src`, `href` (and the other URL attributes), a CSS `url()` or an `@import`,
 * whether written as markup or as a property in the inlined script that renders markup later. `data:`
 * URLs are embedded content and `mailto:` loads nothing; relative URLs stay inside the file.
 */
const ATTRIBUTE =
  /(?<![\w.$-])(?:src|href|srcset|poster|action|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'`>]+))/gi;
const SCRIPT_PROPERTY = /(?<![\w.$-])(?:src|href|srcSet|srcset)\s*:\s*(?:`([^`$]*)`|"([^"]*)"|'([^']*)')/g;
const CSS_URL = /\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)/gi;
const CSS_IMPORT = /@import\s+(?:url\(\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"';)]+))/gi;

const ABSOLUTE = /^\s*(?:[a-z][a-z\d+.-]*:|\/\/|\\\\)/i;
const NOT_LOADED = /^\s*(?:data|mailto):/i;

function isExternal(url: string): boolean {
  return ABSOLUTE.test(url) && !NOT_LOADED.test(url);
}

/** Each reference to another host, as it is written in the page (empty when there is none). */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const pattern of [ATTRIBUTE, SCRIPT_PROPERTY, CSS_URL, CSS_IMPORT]) {
    for (const match of html.matchAll(pattern)) {
      const value = match.slice(1).find((group) => group !== undefined) ?? '';
      // A srcset lists candidates separated by commas, each a URL and a size.
      const urls = /srcset/i.test(match[0])
        ? value.split(',').map((part) => part.trim().split(/\s+/)[0]!)
        : [value];
      if (urls.some(isExternal)) found.push(match[0].slice(0, 200));
    }
  }
  return found;
}
