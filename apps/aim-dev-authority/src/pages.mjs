// HTML helpers of the development authority's pages.

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function send(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Frame-Options', 'DENY');
  res.end(html);
}

export function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:3rem 1rem}
main{max-width:22rem;margin:auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
.dev{background:#b91c1c;color:#fff;padding:.4rem .6rem;border-radius:4px;font-weight:bold;text-align:center}
label{display:block;margin-top:1rem}input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem}
button{margin-top:1.25rem;width:100%;padding:.6rem;font-size:1rem}.err{color:#b91c1c}
small{color:#555}
</style></head>
<body><main><p class="dev">DEVELOPMENT AUTHORITY &mdash; NOT FOR PRODUCTION</p>${body}</main></body></html>`;
}

/** oidc-provider's `renderError`: a plain error page (the error code is in `data-error`). */
export async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page(
    'Sign-in error',
    `<h1>Sign-in error</h1>
<p class="err" data-error="${escapeHtml(out.error)}">${escapeHtml(out.error)}</p>
<p data-error-description="${escapeHtml(out.error_description)}">${escapeHtml(out.error_description)}</p>`,
  );
}
