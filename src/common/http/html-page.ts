const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** A small, self-contained page for the candidates' own links (no scripts, no external assets). */
export function htmlPage(lang: string, title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #3e4c59;background:#1f2933;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2933}label{display:block;margin:.8rem 0 .2rem}input,select{font:inherit;padding:.4rem;width:100%}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body></html>`;
}
