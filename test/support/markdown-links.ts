import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** Markdown without its fenced code blocks and inline code, where a `[x](y)` is no link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Each `[text](target)` and `![alt](target)` of the prose whose target is inside the repository. */
export function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z\d+.-]*:/i.test(target) && !target.startsWith('//'));
}

/**
 * The links of `file` (relative to `root`) that do not resolve: a missing file, or an anchor that no
 * heading of the target page makes. `generated` lists files a command writes (not checked in).
 */
export async function brokenLinks(
  root: string,
  file: string,
  generated: ReadonlySet<string>,
): Promise<string[]> {
  const source = await readFile(join(root, file), 'utf8');
  const broken: string[] = [];
  for (const link of relativeLinks(source)) {
    const [path, anchor] = link.split('#') as [string, string | undefined];
    const target = path === '' ? join(root, file) : join(dirname(join(root, file)), decodeURIComponent(path));
    const name = relative(root, target);
    if (name.startsWith('..')) {
      broken.push(`${link} (outside the repository)`);
      continue;
    }
    if (!existsSync(target) && !generated.has(name)) {
      broken.push(`${link} (no file ${name})`);
      continue;
    }
    if (anchor !== undefined && target.endsWith('.md')) {
      const page = target === join(root, file) ? source : await readFile(target, 'utf8');
      if (!anchorsOf(page).has(anchor)) broken.push(`${link} (no heading #${anchor} in ${name})`);
    }
  }
  return broken;
}
