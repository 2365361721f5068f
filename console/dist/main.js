var P,
  rt,
  _n,
  q,
  Ge,
  _e,
  st,
  ce,
  it,
  Ne,
  Le,
  yn,
  se = Symbol.for('pv'),
  ye = {},
  he = [],
  hn = /^m(i|n|o|s|text|space)$/,
  Me = Array.isArray,
  at = he.slice,
  J = Object.assign;
function W(e) {
  e && e.parentNode && e.remove();
}
function pe(e, t, n, r, s) {
  var i = {
    type: e,
    props: t,
    key: n,
    ref: r,
    __k: null,
    __: null,
    __b: 0,
    __e: null,
    __c: null,
    constructor: se,
    __v: s || ++rt,
    __i: -1,
    __u: 0,
  };
  return (!s && P.vnode && P.vnode(i), i);
}
function G(e) {
  return e.children;
}
function me(e, t) {
  ((this.props = e), (this.context = t), (this.__g = 0));
}
function B(e, t) {
  if (t == null) return e.__ && B(e.__, e.__i + 1);
  for (var n; t < e.__k.length; t++) if ((n = e.__k[t]) && n.__e) return n.__e;
  return typeof e.type != 'function' || e.props.__P ? null : B(e);
}
function gn(e) {
  var t,
    n = e.__v,
    r = n.__e,
    s = [],
    i = [],
    a = e.__P;
  a &&
    (((t = J({ constructor: se }, n)).__v = n.__v + 1),
    P.vnode && P.vnode(t),
    Fe(a, t, n, e.__n, a.namespaceURI, 32 & n.__u ? [r] : null, s, r || B(n), 32 & n.__u, i),
    (t.__v = n.__v),
    (t.__.__k[t.__i] = t),
    mt(s, t, i),
    (n.__ = n.__e = null),
    t.__e != r && lt(t));
}
function lt(e) {
  if ((e = e.__) && e.__c && !e.props.__P)
    return (
      (e.__e = null),
      e.__k.some(function (t) {
        return t && (e.__e = t.__e);
      }),
      lt(e)
    );
}
function nt(e) {
  ((8 & e.__g || ((e.__g |= 8), q.push(e), _e++)) && Ge == P.debounceRendering) ||
    ((Ge = P.debounceRendering) || queueMicrotask)(dt);
}
function dt() {
  try {
    for (var e, t = 1; q.length;)
      (q.length > t && q.sort(st), (e = q.shift()), (t = q.length), 8 & e.__g && gn(e));
  } finally {
    (_e = q.length) && (Ge || queueMicrotask)(dt);
  }
}
function ut(e, t, n, r, s, i, a, d, c, h, u) {
  var w,
    g,
    l,
    f,
    p,
    y,
    S = r.__k || he,
    m = t.length;
  for (c = bn(n, t, S, c, m), w = 0; w < m; w++)
    (l = n.__k[w]) != null &&
      ((g = (~l.__i && S[l.__i]) || ye),
      (l.__i = w),
      (y = Fe(e, l, g, s, i, a, d, c, h, u)),
      (f = l.__e),
      (g.ref != l.ref || 8 & g.__u) &&
        (g.ref && $e(g.ref, null, l, g), l.ref && u.push(l.ref, l.__c || f, l)),
      (p = p || f),
      4 & l.__u
        ? ((c = ct(l, c, e, !g.__v)), g.__e && (g.__e = null))
        : typeof l.type == 'function' && y !== void 0
          ? (c = y)
          : f && (c = f.nextSibling),
      (l.__u &= -21));
  return ((n.__e = p), c);
}
function bn(e, t, n, r, s) {
  var i,
    a,
    d,
    c,
    h,
    u,
    w,
    g,
    l,
    f = n.length,
    p = f,
    y = 0,
    S = 0,
    m = (e.__k = Array(s));
  for (i = 0; i < s; i++)
    (a = t[i]) != null && typeof a != 'boolean' && typeof a != 'function'
      ? (typeof a != 'object' || a.constructor === String
          ? (a = m[i] = pe(null, a))
          : Me(a)
            ? (a = m[i] = pe(G, { children: a }))
            : a.constructor === se && a.__b
              ? (a = m[i] = pe(a.type, a.props, a.key, a.ref, a.__v))
              : (m[i] = a),
        (c = i + y),
        (a.__ = e),
        (a.__b = e.__b + 1),
        (d = null),
        ~(h = a.__i = wn(a, n, c, p)) && (p--, (d = n[h]) && (d.__u |= 2)),
        d && d.__v
          ? ((a.__u |= 16), h == c - 1 ? y-- : h == c + 1 ? y++ : h != c && (h > c ? y-- : y++, (S = 1)))
          : (~h || (s > f ? y-- : s < f && y++), typeof a.type != 'function' && (a.__u |= 4)))
      : (m[i] = null);
  if (S) {
    for (u = [], w = [], i = 0; i < s; i++)
      if ((a = m[i]) && 16 & a.__u) {
        for (y = 0, g = u.length; y < g;) u[(l = (y + g) >> 1)] < a.__i ? (y = l + 1) : (g = l);
        ((u[y] = a.__i), (w[i] = y + 1));
      }
    for (y = u.length; i--;) w[i] && (w[i] == y ? y-- : (m[i].__u |= 4));
  }
  if (p) for (i = 0; i < f; i++) !(d = n[i]) || 2 & d.__u || (d.__e == r && (r = B(d)), Re(d, d));
  return r;
}
function ct(e, t, n, r) {
  var s, i, a, d;
  if (typeof e.type == 'function') {
    if (e.props.__P) return t;
    if ((s = e.__k)) for (i = 0; i < s.length; i++) s[i] && ((s[i].__ = e), (t = ct(s[i], t, n, !1)));
    return t;
  }
  for (
    t && !t.parentNode && (t = B(e)) && !t.parentNode && (t = null), a = e.__e, d = t;
    d && d.nodeType == 8;
  )
    d = d.nextSibling;
  for (
    a != d && (!r && n.moveBefore && a.parentNode ? n.moveBefore(a, t) : n.insertBefore(a, t || null)), t = a;
    (t = t && t.nextSibling) && t.nodeType == 8 && !t.data.startsWith('$s');
  );
  return t;
}
function wn(e, t, n, r) {
  var s,
    i = e.key,
    a = e.type,
    d = t[n],
    c = d && !(2 & d.__u);
  if ((d === null && i == null) || (c && i == d.key && a == d.type)) return n;
  if (r > (c ? 1 : 0)) {
    for (s = n - 1; s >= 0; s--) if ((d = t[s]) && !(2 & d.__u) && i == d.key && a == d.type) return s;
    for (s = n + 1; s < t.length; s++) if ((d = t[s]) && !(2 & d.__u) && i == d.key && a == d.type) return s;
  }
  return -1;
}
function ot(e, t, n) {
  (n == null && (n = ''), t[0] == '-' ? e.setProperty(t, n) : (e[t] = n));
}
function ue(e, t, n, r, s) {
  var i, a;
  if (t == 'style')
    if (typeof n == 'string') e.style.cssText = n;
    else {
      if ((typeof r == 'string' && (e.style.cssText = r = ''), r))
        for (t in r) (n && t in n) || ot(e.style, t);
      if (n) for (t in n) (r && n[t] == r[t]) || ot(e.style, t, n[t]);
    }
  else if (t[0] == 'o' && t[1] == 'n')
    (typeof n != 'function' && (n = null),
      typeof r != 'function' && (r = null),
      ((e.__e || (e.__e = {}))[t] = n),
      (n && r) ||
        ((a = Le[t] || (Le[t] = Sn(t))),
        ((e.__a || (e.__a = {}))[t] = Ne),
        (i = t != (t = t.replace(it, '$1'))),
        (t = t.slice(2))[0] < 'a' && (t = t.toLowerCase()),
        n ? e.addEventListener(t, a, i) : e.removeEventListener(t, a, i)));
  else {
    if (s == 'http://www.w3.org/2000/svg') t = t.replace(/xlink(H|:h)/, 'h').replace(/sName$/, 's');
    else if (
      t != 'width' &&
      t != 'height' &&
      t != 'href' &&
      t != 'list' &&
      t != 'form' &&
      t != 'tabIndex' &&
      t != 'download' &&
      t != 'rowSpan' &&
      t != 'colSpan' &&
      t != 'role' &&
      t != 'popover' &&
      t in e
    )
      try {
        return void (e[t] = n ?? '');
      } catch {}
    if (typeof n == 'function') return;
    n == null || (n === !1 && t[4] != '-')
      ? e.removeAttribute(t)
      : e.setAttribute(t, t == 'popover' && n == 1 ? '' : n);
  }
}
function Sn(e) {
  return function (t) {
    var n = this.__e;
    if (n) {
      if (((n = n[e]), t[ce] == null)) t[ce] = Ne++;
      else if (t[ce] < this.__a[e]) return;
      return n(P.event ? P.event(t) : t);
    }
  };
}
function Fe(e, t, n, r, s, i, a, d, c, h) {
  var u,
    w,
    g,
    l,
    f,
    p,
    y,
    S,
    m,
    v,
    x,
    D,
    V,
    Z,
    _,
    k,
    U,
    j,
    H = t.type;
  if (t.constructor !== se) return null;
  (128 & n.__u &&
    ((c = 32 & n.__u), (u = n.__c.__z)) &&
    ((t.__u |= c), (w = i = []), u.nodeType == 8 ? (d = fe(u, i)) : i.push(u), (d = i[0] || d)),
    (u = P.__b) && u(t));
  e: if (typeof H == 'function') {
    g = a.length;
    try {
      if (
        ((S = t.props),
        (m = (u = H.prototype) && u.render),
        (v = (u = H.contextType) && r[u.__c]),
        (x = u ? (v ? v.props.value : u.__) : r),
        (l = n.__c)
          ? ((t.__c = l), 2 & l.__g && (l.__g |= 1))
          : (m
              ? (t.__c = l = new H(S, x))
              : ((t.__c = l = new me(S, x)), (l.constructor = H), (l.render = xn)),
            v && v.sub(l),
            l.state || (l.state = {}),
            (l.__n = r),
            (l.__g |= 8),
            (l.__h = []),
            (l.__k = [])),
        m &&
          (l.__s || (l.__s = l.state),
          H.getDerivedStateFromProps &&
            (l.__s == l.state && (l.__s = J({}, l.__s)), J(l.__s, H.getDerivedStateFromProps(S, l.__s)))),
        (f = l.props),
        (p = l.state),
        (l.__v = t),
        n.__c)
      ) {
        if (
          (S !== f &&
            m &&
            !H.getDerivedStateFromProps &&
            l.componentWillReceiveProps &&
            l.componentWillReceiveProps(S, x),
          (t.__v == n.__v && !(8 & l.__g)) ||
            (!(4 & l.__g) && l.shouldComponentUpdate && l.shouldComponentUpdate(S, l.__s, x) === !1))
        ) {
          (t.__v != n.__v && ((l.props = S), (l.state = l.__s), (l.__g &= -9)),
            (t.__e = n.__e),
            (t.__k = n.__k),
            t.__k.some(function (R) {
              R && (R.__ = t);
            }),
            he.push.apply(l.__h, l.__k),
            (l.__k = []),
            l.__h.length && a.push(l),
            (d = B(n)));
          break e;
        }
        (l.componentWillUpdate && l.componentWillUpdate(S, l.__s, x),
          m &&
            l.componentDidUpdate &&
            l.__h.push(function () {
              l.componentDidUpdate(f, p, y);
            }));
      } else
        (m && !H.getDerivedStateFromProps && l.componentWillMount && l.componentWillMount(),
          m && l.componentDidMount && l.__h.push(l.componentDidMount));
      ((l.context = x), (l.props = S), (l.__P = e), (l.__g &= -5), (D = P.__r), (V = m ? 25 : 0));
      do ((l.__g &= -9), D && D(t), (u = l.render(l.props, (l.state = l.__s), l.context)));
      while (8 & l.__g && ++V < 25);
      (m && (he.push.apply(l.__h, l.__k), (l.__k = [])),
        (l.state = l.__s),
        l.getChildContext && (r = J({}, r, l.getChildContext())),
        m && n.__c && l.getSnapshotBeforeUpdate && (y = l.getSnapshotBeforeUpdate(f, p)),
        (Z = u && u.type === G && u.key == null ? u.props.children : u),
        S.__P &&
          ((u = d),
          (s = (e = S.__P).namespaceURI),
          (c = i = null),
          n.props &&
            n.props.__P != e &&
            (n.__k.some(function (R) {
              R && Re(R, R);
            }),
            (n.__k = null)),
          (d = n.__k ? B(n, 0) : null)),
        (d = ut(e, Me(Z) ? Z : [Z], t, n, r, s, i, a, d, c, h)),
        S.__P && ((t.__e = null), (d = u)),
        (t.__u &= -161),
        w && w.some(W),
        l.__h.length && a.push(l),
        1 & l.__g && (l.__g &= -4));
    } catch (R) {
      if (((a.length = g), (t.__v = null), c || i))
        if (R && R.then) {
          if (((t.__u |= 128 | c), i)) {
            for (~(U = i.indexOf(d || void 0)) || (U = i.length); (j = i[U - 1]) && j.nodeType == 8;) U--;
            for (; U < i.length; U++)
              if ((j = i[U]))
                if (((i[U] = null), _)) {
                  if (j == k) break;
                } else {
                  if (j.nodeType != 8) break;
                  j.data.startsWith('$s') && (k = fe((_ = j)));
                }
          }
          if (!_) {
            for (; d && d.nodeType == 8 && d.nextSibling;) d = d.nextSibling;
            _ = d;
          }
          ((u = fe((_ = t.__c.__z || (t.__c.__z = _)))) ? ((t.__e = _), (d = u)) : (t.__e = d),
            (d = d && d.nextSibling));
        } else i && i.some(W);
      else t.__e = n.__e;
      (t.__k || (t.__k = n.__k || []), (R && R.then) || pt(t), P.__e(R, t, n));
    }
  } else d = t.__e = vn(n.__e, t, n, r, s, i, a, c, h, e);
  return ((u = P.diffed) && u(t), d);
}
function fe(e, t) {
  if (e && e.nodeType == 8 && e.data.startsWith('$s'))
    for (var n = 1; (e = e.nextSibling);) {
      if (e.nodeType == 8) {
        if (e.data.startsWith('$s')) n++;
        else if (e.data.startsWith('/$s') && !--n) return e;
      }
      t && t.push(e);
    }
}
function pt(e) {
  e && (e.__c && (e.__c.__g |= 4), e.__k && e.__k.some(pt));
}
function mt(e, t, n) {
  for (var r = 0; r < n.length;) $e(n[r++], n[r++], n[r++]);
  (P.__c && P.__c(t, e),
    e.some(function (s) {
      try {
        ((e = s.__h),
          (s.__h = []),
          e.some(function (i) {
            i.call(s);
          }));
      } catch (i) {
        P.__e(i, s.__v);
      }
    }));
}
function vn(e, t, n, r, s, i, a, d, c, h) {
  var u,
    w,
    g,
    l,
    f,
    p,
    y,
    S,
    m = n.props || ye,
    v = t.props,
    x = t.type;
  if (
    (x == 'svg'
      ? (s = 'http://www.w3.org/2000/svg')
      : x == 'math'
        ? (s = 'http://www.w3.org/1998/Math/MathML')
        : s || (s = 'http://www.w3.org/1999/xhtml'),
    i)
  ) {
    for (u = 0; u < i.length; u++)
      if ((f = i[u]) && (x ? f.localName == x : f.nodeType == 3)) {
        ((e = f), (i[u] = null));
        break;
      }
  }
  if (!e) {
    if (((S = h.ownerDocument || document), !x)) return S.createTextNode(v);
    ((e = S.createElementNS(s, x, v.is ? v : h)), d && (P.__m && P.__m(t, i), (d = !1)), (i = null));
  }
  if (x) {
    if (
      ((h = (x == 'template' && e.content) || e),
      (i = x == 'textarea' && v.defaultValue != null ? null : i && at.call(h.childNodes)),
      !d && i)
    )
      for (m = {}, u = 0; u < e.attributes.length; u++) m[(f = e.attributes[u]).name] = f.value;
    for (u in m)
      ((f = m[u]),
        u == 'dangerouslySetInnerHTML'
          ? (g = f)
          : u == 'children' ||
            u in v ||
            (u == 'value' && 'defaultValue' in v) ||
            (u == 'checked' && 'defaultChecked' in v) ||
            ue(e, u, null, f, s));
    for (u in v)
      ((f = v[u]),
        u == 'children'
          ? (l = f)
          : u == 'dangerouslySetInnerHTML'
            ? (w = f)
            : u == 'value'
              ? (p = f)
              : u == 'checked'
                ? (y = f)
                : (d && typeof f != 'function') || m[u] === f || ue(e, u, f, m[u], s));
    (w
      ? (d || (g && (w.__html == g.__html || w.__html == e.innerHTML)) || (e.innerHTML = w.__html),
        (t.__k = []))
      : (g && (e.textContent = ''),
        (x == 'foreignObject' || (s == 'http://www.w3.org/1998/Math/MathML' && hn.test(x))) &&
          (s = 'http://www.w3.org/1999/xhtml'),
        ut(h, Me(l) ? l : [l], t, n, r, s, i, a, i ? i[0] : n.__k && B(n, 0), d, c),
        i && i.some(W)),
      (d && x != 'textarea') ||
        ((u = 'value'),
        x == 'progress' && p == null
          ? e.removeAttribute(u)
          : p == null || (p === e[u] && (x != 'progress' || p)) || ue(e, u, p, m[u], s),
        (u = 'checked'),
        y != null && y != e[u] && ue(e, u, y, m[u], s)));
  } else m === v || (d && e.data == v) || (e.data = v);
  return e;
}
function $e(e, t, n, r) {
  try {
    typeof e == 'function'
      ? t
        ? (t.__x = e(t) || 1)
        : r && (r = r.__c || r.__e) && (t = r.__x) && ((r.__x = null), typeof t == 'function' ? t() : e(null))
      : (e.current = t);
  } catch (s) {
    P.__e(s, n);
  }
}
function Re(e, t, n) {
  var r, s, i, a;
  if (
    (P.unmount && P.unmount(e),
    !(r = e.ref) || (r.current && r.current != e.__e) || $e(r, null, t, e),
    (r = e.__c))
  ) {
    if (r.componentWillUnmount)
      try {
        r.componentWillUnmount();
      } catch (d) {
        P.__e(d, t);
      }
    r.__P = r.__n = null;
  }
  if ((r = e.__k))
    for (a = 0; a < r.length; a++) r[a] && Re(r[a], t, typeof e.type != 'function' || (n && !e.props.__P));
  (!n && (r = e.__c) && (r = r.__z) && (s = fe(r, (i = []))) && (r == e.__e && i.some(W), W(s), W(r)),
    n || W(e.__e),
    (e.__e = e.__c = e.__ = null));
}
function xn(e, t, n) {
  return this.constructor(e, n);
}
function ft(e, t) {
  var n, r, s, i;
  (P.__ && P.__(e, t),
    t.nodeType == 9 && (t = t.documentElement),
    (r = (n = e && 32 & e.__u) ? null : t.__k),
    (t.__k = pe(G, { children: [e] })),
    (s = []),
    (i = []),
    Fe(
      t,
      t.__k,
      r || ye,
      ye,
      t.namespaceURI,
      r ? null : t.firstChild ? at.call(t.childNodes) : null,
      s,
      r ? r.__e : t.firstChild,
      n,
      i,
    ),
    mt(s, t.__k, i),
    (t.__k.props.children = null));
}
((P = {
  __e: function (e, t, n, r) {
    for (var s, i, a; (t = t.__);)
      if ((s = t.__c) && !(1 & s.__g)) {
        s.__g |= 4;
        try {
          if (
            ((a = (i = s.constructor) && i.getDerivedStateFromError) &&
              s.setState(i.getDerivedStateFromError(e)),
            s.componentDidCatch && (s.componentDidCatch(e, r || {}), (a = 1)),
            a && 8 & s.__g)
          )
            return void (s.__g |= 2);
        } catch (d) {
          e = d;
        }
      }
    throw ((_e = 0), e);
  },
}),
  (rt = 0),
  (_n = function (e) {
    return e != null && e.constructor === se;
  }),
  (me.prototype.setState = function (e, t) {
    var n = this.__s;
    ((n && n != this.state) || (n = this.__s = J({}, this.state)),
      typeof e == 'function' && (e = e(J({}, n), this.props)),
      e && (J(n, e), this.__v && (t && this.__k.push(t), nt(this))));
  }),
  (me.prototype.forceUpdate = function (e) {
    this.__v && ((this.__g |= 4), e && this.__h.push(e), nt(this));
  }),
  (me.prototype.render = G),
  (q = []),
  (_e = 0),
  (st = function (e, t) {
    return e.__v.__b - t.__v.__b;
  }),
  (ce = Symbol()),
  (it = /(PointerCapture)$|Capture$/i),
  (Ne = 0),
  (Le = {}),
  (yn = 0));
var ee,
  E,
  Oe,
  _t,
  Ve = Object.is,
  ae = 0,
  Pt = [],
  He = [],
  A = P,
  yt = A.__b,
  ht = A.__r,
  gt = A.diffed,
  bt = A.__c,
  wt = A.unmount,
  St = A.__;
function ge(e, t) {
  (A.__h && A.__h(E, e, ae || t), (ae = 0));
  var n = E.__H || (E.__H = { __: [], __h: [] });
  return (e >= n.__.length && n.__.push({}), n.__[e]);
}
function b(e) {
  return ((ae = 1), Pn(At, e));
}
function Pn(e, t, n) {
  var r = ge(ee++, 2);
  if (
    ((r.t = e),
    !r.__c &&
      ((r.__ = [
        n ? n(t) : At(void 0, t),
        function (i) {
          var a = (r.__N || r.__)[0],
            d = r.t(a, i);
          Ve(a, d) || ((r.__N = [d, r.__[1]]), r.__c.setState({}));
        },
      ]),
      (r.__c = E),
      !E.__f))
  ) {
    E.__f = !0;
    var s = E.shouldComponentUpdate;
    E.shouldComponentUpdate = function (i, a, d) {
      var c = this.__H;
      if (!c) return !0;
      var h = !1,
        u = this.props != i;
      if (
        (c.__.some(function (g) {
          g.__N && ((h = !0), Ve(g.__[0], g.__N[0]) || (u = !0));
        }),
        s)
      ) {
        var w = s.call(this, i, a, d);
        return h ? w || u : w;
      }
      return !h || u;
    };
  }
  return r.__;
}
function L(e, t) {
  var n = ge(ee++, 3);
  !A.__s && Ct(n.__H, t) && ((n.__P = !0), (n.__ = e), (n.u = t), E.__H.__h.push(n));
}
function qe(e) {
  return (
    (ae = 5),
    kt(function () {
      return { current: e };
    }, [])
  );
}
function kt(e, t) {
  var n = ge(ee++, 7);
  return (Ct(n.__H, t) && ((n.__ = e()), (n.__H = t)), n.__);
}
function Tt(e, t) {
  return (
    (ae = 8),
    kt(function () {
      return e;
    }, t)
  );
}
function It() {
  var e = ge(ee++, 11);
  if (!e.__) {
    for (var t = E.__v; !t.__m && t.__;) t = t.__;
    var n = t.__m || (t.__m = [0, 0]);
    e.__ = 'P' + n[0] + '-' + n[1]++;
  }
  return e.__;
}
function kn() {
  var e;
  do {
    for (; (e = He.shift());)
      try {
        ie(e);
      } catch (n) {
        A.__e(n, { __: (e = e.__P) && e.__v });
      }
    for (; (e = Pt.shift());) {
      var t = e.__H;
      if (e.__P && t)
        try {
          (t.__h.some(ie), t.__h.some(Ue), (t.__h = []));
        } catch (n) {
          ((t.__h = []), A.__e(n, e.__v));
        }
    }
  } while (He.length);
}
((A.__b = function (e) {
  ((E = null), yt && yt(e));
}),
  (A.__ = function (e, t) {
    (e && t.__k && t.__k.__m && (e.__m = t.__k.__m), St && St(e, t));
  }),
  (A.__r = function (e) {
    (ht && ht(e), (ee = 0));
    var t = (E = e.__c).__H;
    (t &&
      (Oe == E ? (E.__h = []) : (t.__h.some(ie), t.__h.some(Ue), (ee = 0)),
      (t.__h = []),
      t.__.some(function (n) {
        (n.__N && (n.__ = n.__N), (n.u = n.__N = void 0));
      })),
      (Oe = E));
  }),
  (A.diffed = function (e) {
    gt && gt(e);
    var t = e.__c;
    (t &&
      t.__H &&
      (t.__H.__h.length && xt(Pt.push(t)),
      t.__H.__.some(function (n) {
        n.u && (n.__H = n.u);
      })),
      (Oe = E = null));
  }),
  (A.__c = function (e, t) {
    (t.some(function (n) {
      try {
        (n.__h.some(ie),
          (n.__h = n.__h.filter(function (r) {
            return !r.__ || Ue(r);
          })));
      } catch (r) {
        n.__h = [
          function () {
            throw r;
          },
        ];
      }
    }),
      bt && bt(e, t));
  }),
  (A.unmount = function (e) {
    wt && wt(e);
    var t,
      n,
      r = e.__c;
    r &&
      r.__H &&
      (r.__H.__.some(function (s) {
        try {
          if (s.__P && s.__c) {
            if (n === void 0) {
              for (n = e.__; n && (!n.__c || !n.__c.__P);) n = n.__;
              n = n && n.__c;
            }
            ((s.__P = n), xt(He.push(s)));
          } else ie(s);
        } catch (i) {
          t = i;
        }
      }),
      (r.__H = void 0),
      t && A.__e(t, r.__v));
  }));
var vt = typeof requestAnimationFrame == 'function';
function Tn(e) {
  var t,
    n = function () {
      (clearTimeout(r), vt && cancelAnimationFrame(t), setTimeout(e));
    },
    r = setTimeout(n, 35);
  vt && (t = requestAnimationFrame(n));
}
function xt(e) {
  (e != 1 && _t == A.requestAnimationFrame) || ((_t = A.requestAnimationFrame) || Tn)(kn);
}
function ie(e) {
  var t = E,
    n = e.__c;
  (typeof n == 'function' && ((e.__c = void 0), n()), (E = t));
}
function Ue(e) {
  var t = E;
  ((e.__c = e.__()), (E = t));
}
function Ct(e, t) {
  return (
    !e ||
    e.length != t.length ||
    t.some(function (n, r) {
      return !Ve(n, e[r]);
    })
  );
}
function At(e, t) {
  return typeof t == 'function' ? t(e) : t;
}
var be = 'sms-mfa-console-token';
function Et() {
  let e = /^#token=([^&]*)/.exec(location.hash);
  if (!e) return;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  let t = decodeURIComponent(e[1] ?? '').trim();
  t && sessionStorage.setItem(be, t);
}
var we = () => sessionStorage.getItem(be),
  Dt = (e) => sessionStorage.setItem(be, e.trim()),
  Gt = () => sessionStorage.removeItem(be);
var te = class extends Error {
    constructor(n) {
      super(n.detail ?? n.title);
      this.problem = n;
    }
    problem;
  },
  Lt = (e) => e.type.split('/').pop() ?? '',
  Nt = () => {};
function Mt(e) {
  Nt = e;
}
async function le(e, t, n, r) {
  let s = { accept: 'application/json, application/problem+json' },
    i = we();
  (i && (s.authorization = `Bearer ${i}`),
    n !== void 0 && (s['content-type'] = 'application/json'),
    r !== void 0 && (s['if-match'] = `"${r}"`));
  let a;
  try {
    a = await fetch(t, {
      method: e,
      headers: s,
      body: n === void 0 ? void 0 : JSON.stringify(n),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new te({
      type: 'about:blank',
      title: 'No answer',
      status: 0,
      detail: 'The admin API did not answer. Is the server still running?',
    });
  }
  let d = await a.text();
  if (a.ok) return d ? JSON.parse(d) : void 0;
  let c;
  try {
    if (((c = JSON.parse(d)), typeof c.title != 'string')) throw new Error('not a problem');
  } catch {
    c = { type: 'about:blank', title: a.statusText || 'Error', status: a.status };
  }
  throw (a.status === 401 && (Gt(), Nt()), new te(c));
}
var I = {
    get: (e) => le('GET', e),
    post: (e, t) => le('POST', e, t),
    patch: (e, t, n) => le('PATCH', e, t, n),
    delete: (e) => le('DELETE', e),
    async list(e) {
      let t = [],
        n;
      do {
        let r = `?limit=100${n ? `&nextToken=${encodeURIComponent(n)}` : ''}`,
          s = await le('GET', `${e}${r}`);
        (t.push(...s.items), (n = s.nextToken));
      } while (n);
      return t;
    },
  },
  C = encodeURIComponent;
var z = '/console/',
  Be = 'console:navigate',
  Ft = () => (location.pathname.startsWith(z) ? location.pathname.slice(z.length).replace(/\/+$/, '') : ''),
  Ke;
function F(e, t) {
  ((Ke = t), history.pushState(null, '', `${z}${e}`), dispatchEvent(new Event(Be)));
}
function Se() {
  let e = Ke;
  return ((Ke = void 0), e);
}
function $t() {
  let [e, t] = b(Ft());
  return (
    L(() => {
      let n = () => t(Ft());
      return (
        addEventListener('popstate', n),
        addEventListener(Be, n),
        () => {
          (removeEventListener('popstate', n), removeEventListener(Be, n));
        }
      );
    }, []),
    e
  );
}
function K(e) {
  return (t) => {
    t.button !== 0 || t.metaKey || t.ctrlKey || t.shiftKey || t.altKey || (t.preventDefault(), F(e));
  };
}
var Ye = ['accountId', 'username', 'password', 'from', 'url'];
var Rt = ['none', 'basic', 'bearer', 'hmac-sha256'];
function O(e, t) {
  let [n, r] = b(),
    [s, i] = b(),
    [a, d] = b(0);
  return (
    L(() => {
      let c = !0;
      return (
        e().then(
          (h) => c && (r(h), i(void 0)),
          (h) => c && i(N(h)),
        ),
        () => {
          c = !1;
        }
      );
    }, [t, a]),
    { data: n, problem: s, reload: Tt(() => d((c) => c + 1), []) }
  );
}
function N(e) {
  return e instanceof te ? e.problem : { type: 'about:blank', title: 'Error', status: 0, detail: String(e) };
}
var Ot,
  ve = () =>
    (Ot ??= I.get('/admin/gateway-types').then((e) => e.items)).catch((e) => {
      throw ((Ot = void 0), e);
    }),
  ne = () => I.list('/admin/gateways'),
  xe = () => I.list('/admin/identity-stores'),
  Pe = (e) => (t) => e?.find((n) => n.id === t)?.name ?? t;
function Y(e, t) {
  let n = {},
    r = [];
  for (let s of e?.errors ?? []) {
    let i = t.find((a) => s.path === a || s.path.startsWith(`${a}.`));
    i ? (n[i] ??= []).push(s.message) : r.push(s);
  }
  return { byField: n, rest: r };
}
var In = Symbol.for('pv'),
  Cn = 0;
function o(e, t, n, r, s, i) {
  t || (t = {});
  var a,
    d,
    c = t;
  if ('ref' in c && typeof e != 'function') for (d in ((c = {}), t)) d == 'ref' ? (a = t[d]) : (c[d] = t[d]);
  var h = {
    type: e,
    props: c,
    key: n,
    ref: a,
    __k: null,
    __: null,
    __b: 0,
    __e: null,
    __c: null,
    constructor: In,
    __v: --Cn,
    __i: -1,
    __u: 0,
  };
  return ((s || i) && ((h.__source = s), (h.__self = i)), P.vnode && P.vnode(h), h);
}
function ke(e, t, n) {
  let r = [t ? `${e}-hint` : '', n?.length ? `${e}-error` : ''].filter(Boolean);
  return r.length ? r.join(' ') : void 0;
}
function Te({ id: e, hint: t, errors: n }) {
  return o(G, {
    children: [
      t ? o('p', { class: 'hint', id: `${e}-hint`, children: t }) : null,
      n?.length ? o('p', { class: 'field-error', id: `${e}-error`, children: n.join('; ') }) : null,
    ],
  });
}
function je({ id: e, label: t, required: n }) {
  return o('label', {
    for: e,
    children: [t, n ? o('span', { class: 'required', children: ' (required)' }) : null],
  });
}
function T({ id: e, label: t, errors: n, hint: r, required: s, value: i, onValue: a, ...d }) {
  return o('div', {
    class: 'field',
    children: [
      o(je, { id: e, label: t, required: s }),
      o('input', {
        id: e,
        type: 'text',
        ...d,
        value: i,
        'aria-required': s ? 'true' : void 0,
        'aria-invalid': n?.length ? 'true' : void 0,
        'aria-describedby': ke(e, r, n),
        onInput: (c) => a(c.currentTarget.value),
      }),
      o(Te, { id: e, hint: r, errors: n }),
    ],
  });
}
function Ie({ id: e, label: t, errors: n, hint: r, required: s, value: i, onValue: a, rows: d = 3 }) {
  return o('div', {
    class: 'field',
    children: [
      o(je, { id: e, label: t, required: s }),
      o('textarea', {
        id: e,
        rows: d,
        value: i,
        'aria-required': s ? 'true' : void 0,
        'aria-invalid': n?.length ? 'true' : void 0,
        'aria-describedby': ke(e, r, n),
        onInput: (c) => a(c.currentTarget.value),
      }),
      o(Te, { id: e, hint: r, errors: n }),
    ],
  });
}
function de({ id: e, label: t, errors: n, hint: r, required: s, value: i, onValue: a, children: d }) {
  return o('div', {
    class: 'field',
    children: [
      o(je, { id: e, label: t, required: s }),
      o('select', {
        id: e,
        value: i,
        'aria-required': s ? 'true' : void 0,
        'aria-invalid': n?.length ? 'true' : void 0,
        'aria-describedby': ke(e, r, n),
        onChange: (c) => a(c.currentTarget.value),
        children: d,
      }),
      o(Te, { id: e, hint: r, errors: n }),
    ],
  });
}
function X({ id: e, label: t, errors: n, hint: r, checked: s, onChecked: i }) {
  return o('div', {
    class: 'field checkbox',
    children: [
      o('input', {
        id: e,
        type: 'checkbox',
        checked: s,
        'aria-invalid': n?.length ? 'true' : void 0,
        'aria-describedby': ke(e, r, n),
        onChange: (a) => i(a.currentTarget.checked),
      }),
      o('label', { for: e, children: t }),
      o(Te, { id: e, hint: r, errors: n }),
    ],
  });
}
function M({ problem: e, rest: t, children: n }) {
  if (!e) return null;
  let r = t ?? e.errors ?? [];
  return o('div', {
    class: 'alert',
    role: 'alert',
    children: [
      o('p', { children: [o('strong', { children: e.title }), e.detail ? ` ${e.detail}` : ''] }),
      n,
      r.length
        ? o('ul', {
            children: r.map((s) =>
              o('li', { children: [o('code', { children: s.path || '(body)' }), ' ', s.message] }, s.path),
            ),
          })
        : null,
    ],
  });
}
function oe({ message: e }) {
  return o('div', { class: 'notice', role: 'status', children: e ?? '' });
}
function We({ title: e, onClose: t, children: n }) {
  let r = qe(null),
    s = It();
  return (
    L(() => {
      let i = r.current,
        a = document.activeElement;
      return (
        i?.showModal(),
        () => {
          (i?.open && i.close(), a?.focus());
        }
      );
    }, []),
    o('dialog', {
      ref: r,
      'aria-labelledby': s,
      onCancel: (i) => {
        (i.preventDefault(), t());
      },
      children: [o('h2', { id: s, children: e }), n],
    })
  );
}
function re({ title: e, message: t, confirmLabel: n, busy: r, onConfirm: s, onCancel: i }) {
  return o(We, {
    title: e,
    onClose: i,
    children: [
      o('p', { children: t }),
      o('div', {
        class: 'actions',
        children: [
          o('button', { type: 'button', class: 'danger', disabled: r, onClick: s, children: n }),
          o('button', { type: 'button', onClick: i, autofocus: !0, children: 'Cancel' }),
        ],
      }),
    ],
  });
}
function $({ children: e }) {
  let t = qe(null);
  return (L(() => t.current?.focus(), []), o('h1', { ref: t, tabIndex: -1, children: e }));
}
var Je = (e) =>
  e ? new Date(e).toLocaleString(void 0, { dateStyle: 'medium', timeStyle: 'short' }) : '\u2014';
var Ht = ['host', 'domain', 'username', 'description'],
  An = ['bodyTemplate', 'authScheme'];
function ze(e) {
  return {
    name: e?.name ?? '',
    type: e?.type ?? '',
    accountId: e?.accountId ?? '',
    username: e?.username ?? '',
    password: '',
    from: e?.from ?? '',
    url: e?.url ?? '',
    bodyTemplate: e?.bodyTemplate ?? '',
    authScheme: e?.authScheme ?? '',
    clearPassword: !1,
    isDefault: e?.isDefault ?? !1,
    proxy: {
      host: e?.proxy?.host ?? '',
      port: e?.proxy ? String(e.proxy.port) : '',
      domain: e?.proxy?.domain ?? '',
      username: e?.proxy?.username ?? '',
      password: '',
      description: e?.proxy?.description ?? '',
      clearPassword: !1,
    },
  };
}
var Q = (e) => (e.trim() === '' ? void 0 : e.trim()),
  Vt = (e) => Q(e) ?? null,
  Ut = (e) => (/^\d+$/.test(e.trim()) ? Number(e.trim()) : Q(e));
function Ce(e) {
  if (!e) return [];
  let t = Ye.filter((n) => e.fields[n] !== 'ignored');
  return e.type === 'custom-http' ? [...t, ...An] : t;
}
var qt = (e) => [...Ht, 'port', 'password'].some((t) => Q(e.proxy[t]));
function Bt(e) {
  let t = { host: Q(e.proxy.host), port: Ut(e.proxy.port) };
  for (let n of ['domain', 'username', 'description']) Q(e.proxy[n]) && (t[n] = Q(e.proxy[n]));
  return (e.proxy.password && (t.password = e.proxy.password), t);
}
function Kt(e, t) {
  let n = { name: e.name.trim(), type: e.type };
  for (let r of Ce(t)) {
    let s = r === 'password' ? e.password || void 0 : Q(e[r]);
    s !== void 0 && (n[r] = s);
  }
  return (e.isDefault && (n.isDefault = !0), qt(e) && (n.proxy = Bt(e)), n);
}
function Yt(e, t, n) {
  let r = {};
  (e.name.trim() !== t.name && (r.name = e.name.trim()), e.type !== t.type && (r.type = e.type));
  for (let i of Ce(n)) {
    if (i === 'password') continue;
    let a = Vt(e[i]);
    a !== (t[i] ?? null) && (r[i] = a);
  }
  (e.password ? (r.password = e.password) : e.clearPassword && (r.password = null),
    e.isDefault !== t.isDefault && (r.isDefault = e.isDefault));
  let s = t.proxy;
  if (!qt(e)) s && (r.proxy = null);
  else if (!s) r.proxy = Bt(e);
  else {
    let i = {},
      a = Ut(e.proxy.port);
    a !== s.port && (i.port = a ?? null);
    for (let d of Ht) {
      let c = Vt(e.proxy[d]);
      c !== (s[d] ?? null) && (i[d] = c);
    }
    (e.proxy.password ? (i.password = e.proxy.password) : e.proxy.clearPassword && (i.password = null),
      Object.keys(i).length && (r.proxy = i));
  }
  return r;
}
function Ae({ gateway: e, onClose: t }) {
  let [n, r] = b(''),
    [s, i] = b(!1),
    [a, d] = b(),
    [c, h] = b(),
    { byField: u, rest: w } = Y(a, ['phoneNumber']);
  return o(We, {
    title: 'Test SMS Gateway Connection',
    onClose: t,
    children: o('form', {
      onSubmit: async (l) => {
        (l.preventDefault(), i(!0), d(void 0), h(void 0));
        try {
          let f = await I.post(`/admin/gateways/${C(e.id)}/test`, { phoneNumber: n.trim() });
          h(`Test message sent through ${e.name} (provider message id ${f.providerMessageId}).`);
        } catch (f) {
          d(N(f));
        } finally {
          i(!1);
        }
      },
      noValidate: !0,
      children: [
        o(T, {
          id: 'test-phone',
          label: 'Mobile phone number',
          type: 'tel',
          inputMode: 'tel',
          autoComplete: 'off',
          autofocus: !0,
          value: n,
          onValue: r,
          errors: u.phoneNumber,
          hint: 'Use International format, with no spaces or special characters. For example: 18588123169, 447079692712, 923225867987.',
        }),
        o(M, { problem: a, rest: w }),
        o('div', { class: 'notice', role: 'status', children: c ?? '' }),
        o('div', {
          class: 'actions',
          children: [
            o('button', { type: 'submit', class: 'primary', disabled: s, children: 'OK' }),
            o('button', { type: 'button', onClick: t, children: c ? 'Close' : 'Cancel' }),
          ],
        }),
      ],
    }),
  });
}
var jt = {
    accountId: 'Account ID',
    username: 'User Name',
    password: 'Password',
    from: 'From',
    url: 'Gateway URL',
  },
  En = ['username', 'password', 'description', 'domain', 'host', 'port'].map((e) => `proxy.${e}`);
function Xe({ id: e }) {
  let t = O(
      () => Promise.all([ve(), e ? I.get(`/admin/gateways/${C(e)}`) : Promise.resolve(void 0)]),
      `gateway:${e ?? 'new'}`,
    ),
    [n, r] = t.data ?? [],
    [s, i] = b(ze()),
    [a, d] = b(!1),
    [c, h] = b(),
    [u, w] = b(!1),
    [g, l] = b(!1);
  L(() => {
    t.data && (i(ze(r)), d(!!r?.proxy));
  }, [t.data]);
  let f = n?.find((_) => _.type === s.type),
    p = Ce(f),
    { byField: y, rest: S } = Y(c, ['name', 'type', ...p, 'isDefault', ...(a ? En : [])]),
    m = (_) => i((k) => ({ ...k, ..._ })),
    v = (_) => i((k) => ({ ...k, proxy: { ...k.proxy, ..._ } })),
    x = (_) => y[`proxy.${_}`],
    D = async (_) => {
      (_.preventDefault(), w(!0), h(void 0));
      try {
        let k = r
          ? await I.patch(`/admin/gateways/${C(r.id)}`, Yt(s, r, f), r.version)
          : await I.post('/admin/gateways', Kt(s, f));
        F('gateways', `SMS gateway ${k.name} ${r ? 'saved' : 'created'}.`);
      } catch (k) {
        (h(N(k)), w(!1));
      }
    },
    V = e ? 'Edit SMS Gateway' : 'Create SMS Gateway';
  if (!t.data)
    return o('section', {
      children: [
        o($, { children: V }),
        o(M, { problem: t.problem }),
        t.problem ? null : o('p', { 'aria-busy': 'true', children: 'Loading\u2026' }),
      ],
    });
  let Z = r && r.type === s.type ? (r.effectiveUrl ?? r.url) : null;
  return o('section', {
    children: [
      o($, { children: V }),
      o('form', {
        onSubmit: D,
        noValidate: !0,
        children: [
          o(T, {
            id: 'gw-name',
            label: 'Name',
            required: !0,
            value: s.name,
            onValue: (_) => m({ name: _ }),
            errors: y.name,
          }),
          o(de, {
            id: 'gw-type',
            label: 'Gateway Type',
            required: !0,
            value: s.type,
            onValue: (_) => m({ type: _ }),
            errors: y.type,
            hint: f
              ? o(G, { children: ['Gateway URL: ', o('code', { children: Z ?? f.url ?? 'set below' })] })
              : void 0,
            children: [
              o('option', { value: '', disabled: !0, children: 'Select a gateway type' }),
              n?.map((_) =>
                o('option', { value: _.type, disabled: _.enabled === !1, children: _.displayName }, _.type),
              ),
            ],
          }),
          p.map((_) =>
            _ === 'bodyTemplate'
              ? o(
                  Ie,
                  {
                    id: 'gw-bodyTemplate',
                    label: 'Body template',
                    value: s.bodyTemplate,
                    onValue: (k) => m({ bodyTemplate: k }),
                    errors: y.bodyTemplate,
                    hint: 'JSON with {to}, {message}, {from} and {accountId} placeholders; empty for the default.',
                  },
                  _,
                )
              : _ === 'authScheme'
                ? o(
                    de,
                    {
                      id: 'gw-authScheme',
                      label: 'Authentication scheme',
                      value: s.authScheme,
                      onValue: (k) => m({ authScheme: k }),
                      errors: y.authScheme,
                      children: [
                        o('option', { value: '', children: 'Default' }),
                        Rt.map((k) => o('option', { value: k, children: k }, k)),
                      ],
                    },
                    _,
                  )
                : _ === 'password'
                  ? o(
                      'div',
                      {
                        children: [
                          o(T, {
                            id: 'gw-password',
                            label: jt.password,
                            type: 'password',
                            autoComplete: 'new-password',
                            required: f?.fields.password === 'required' && !r?.hasPassword,
                            value: s.password,
                            onValue: (k) => m({ password: k }),
                            errors: y.password,
                            hint: r?.hasPassword
                              ? 'A password is stored; leave this empty to keep it.'
                              : f?.fieldDescriptions.password,
                          }),
                          r?.hasPassword
                            ? o(X, {
                                id: 'gw-clearPassword',
                                label: 'Remove the stored password',
                                checked: s.clearPassword,
                                onChecked: (k) => m({ clearPassword: k }),
                              })
                            : null,
                        ],
                      },
                      _,
                    )
                  : o(
                      T,
                      {
                        id: `gw-${_}`,
                        label: jt[_],
                        type: _ === 'url' ? 'url' : 'text',
                        required: f?.fields[_] === 'required',
                        value: s[_],
                        onValue: (k) => m({ [_]: k }),
                        errors: y[_],
                        hint: f?.fieldDescriptions[_],
                      },
                      _,
                    ),
          ),
          o('p', {
            children: o('button', {
              type: 'button',
              'aria-expanded': a,
              'aria-controls': 'proxy-options',
              onClick: () => d(!a),
              children: a ? 'Hide Proxy Options' : 'Show Proxy Options',
            }),
          }),
          a
            ? o('fieldset', {
                id: 'proxy-options',
                children: [
                  o('legend', { children: 'Proxy' }),
                  o(T, {
                    id: 'proxy-username',
                    label: 'Proxy User Name',
                    autoComplete: 'off',
                    value: s.proxy.username,
                    onValue: (_) => v({ username: _ }),
                    errors: x('username'),
                  }),
                  o(T, {
                    id: 'proxy-password',
                    label: 'Proxy Password',
                    type: 'password',
                    autoComplete: 'new-password',
                    value: s.proxy.password,
                    onValue: (_) => v({ password: _ }),
                    errors: x('password'),
                    hint: r?.proxy?.hasPassword
                      ? 'A proxy password is stored; leave this empty to keep it.'
                      : void 0,
                  }),
                  r?.proxy?.hasPassword
                    ? o(X, {
                        id: 'proxy-clearPassword',
                        label: 'Remove the stored proxy password',
                        checked: s.proxy.clearPassword,
                        onChecked: (_) => v({ clearPassword: _ }),
                      })
                    : null,
                  o(T, {
                    id: 'proxy-description',
                    label: 'Description',
                    value: s.proxy.description,
                    onValue: (_) => v({ description: _ }),
                    errors: x('description'),
                  }),
                  o(T, {
                    id: 'proxy-domain',
                    label: 'Proxy Domain',
                    value: s.proxy.domain,
                    onValue: (_) => v({ domain: _ }),
                    errors: x('domain'),
                  }),
                  o(T, {
                    id: 'proxy-host',
                    label: 'Proxy Host Name',
                    value: s.proxy.host,
                    onValue: (_) => v({ host: _ }),
                    errors: x('host'),
                  }),
                  o(T, {
                    id: 'proxy-port',
                    label: 'Proxy Port',
                    inputMode: 'numeric',
                    value: s.proxy.port,
                    onValue: (_) => v({ port: _ }),
                    errors: x('port'),
                  }),
                ],
              })
            : null,
          o(X, {
            id: 'gw-isDefault',
            label: 'Set as default account',
            checked: s.isDefault,
            onChecked: (_) => m({ isDefault: _ }),
            errors: y.isDefault,
            hint: 'The default account is linked to the identity stores created from now on.',
          }),
          o(M, { problem: c, rest: S }),
          o('div', {
            class: 'actions',
            children: [
              o('button', {
                type: 'submit',
                class: 'primary',
                disabled: u,
                children: r ? 'Save SMS Gateway' : 'Create SMS Gateway',
              }),
              r ? o('button', { type: 'button', onClick: () => l(!0), children: 'Test Connection' }) : null,
              o('button', { type: 'button', onClick: () => F('gateways'), children: 'Cancel' }),
            ],
          }),
        ],
      }),
      g && r ? o(Ae, { gateway: r, onClose: () => l(!1) }) : null,
    ],
  });
}
function Wt() {
  let e = O(() => Promise.all([ne(), xe(), ve()]), 'gateways'),
    [t, n] = b(Se),
    [r, s] = b(),
    [i, a] = b(),
    [d, c] = b(),
    [h, u] = b(!1),
    [w, g, l] = e.data ?? [],
    f = Pe(g),
    p = (m) => l?.find((v) => v.type === m)?.displayName ?? m,
    y = async (m) => {
      (u(!0), s(void 0), n(void 0));
      try {
        (await I.delete(`/admin/gateways/${C(m.id)}`), n(`SMS gateway ${m.name} deleted.`), e.reload());
      } catch (v) {
        s({ ...N(v), title: `${m.name} was not deleted.` });
      } finally {
        (u(!1), c(void 0));
      }
    },
    S = r && Lt(r) === 'gateway-in-use' ? (r.identityStoreIds ?? []) : [];
  return o('section', {
    children: [
      o($, { children: 'SMS Gateways' }),
      o(oe, { message: t }),
      o(M, {
        problem: r ?? e.problem,
        children: S.length
          ? o('p', {
              children: [
                'It is linked to ',
                S.length === 1 ? 'the identity store' : 'the identity stores',
                ' ',
                o('strong', { children: S.map(f).join(', ') }),
                '. Link',
                ' ',
                S.length === 1 ? 'that store' : 'those stores',
                ' to another SMS gateway account first.',
              ],
            })
          : null,
      }),
      w
        ? o(G, {
            children: [
              o('p', {
                children: o('button', {
                  type: 'button',
                  class: 'primary',
                  onClick: () => F('gateways/new'),
                  children: w.length ? 'Create SMS Gateway' : 'Setup SMS Gateway',
                }),
              }),
              w.length
                ? o('table', {
                    children: [
                      o('caption', { class: 'visually-hidden', children: 'SMS gateway accounts' }),
                      o('thead', {
                        children: o('tr', {
                          children: [
                            o('th', { scope: 'col', children: 'Name' }),
                            o('th', { scope: 'col', children: 'Gateway Type' }),
                            o('th', { scope: 'col', children: 'URL' }),
                            o('th', { scope: 'col', children: 'Default' }),
                            o('th', { scope: 'col', children: 'Linked identity stores' }),
                            o('th', { scope: 'col', children: 'Actions' }),
                          ],
                        }),
                      }),
                      o('tbody', {
                        children: w.map((m) =>
                          o(
                            'tr',
                            {
                              children: [
                                o('th', {
                                  scope: 'row',
                                  children: o('a', {
                                    href: `/console/gateways/${C(m.id)}`,
                                    onClick: K(`gateways/${C(m.id)}`),
                                    children: m.name,
                                  }),
                                }),
                                o('td', { children: p(m.type) }),
                                o('td', { class: 'url', children: m.effectiveUrl ?? m.url ?? '\u2014' }),
                                o('td', { children: m.isDefault ? 'Default' : '' }),
                                o('td', { children: m.linkedIdentityStoreIds.map(f).join(', ') || '\u2014' }),
                                o('td', {
                                  class: 'row-actions',
                                  children: [
                                    o('button', {
                                      type: 'button',
                                      onClick: () => F(`gateways/${C(m.id)}`),
                                      children: 'Edit',
                                    }),
                                    o('button', {
                                      type: 'button',
                                      onClick: () => a(m),
                                      children: 'Test Connection',
                                    }),
                                    o('button', {
                                      type: 'button',
                                      class: 'danger',
                                      onClick: () => c(m),
                                      children: 'Delete',
                                    }),
                                  ],
                                }),
                              ],
                            },
                            m.id,
                          ),
                        ),
                      }),
                    ],
                  })
                : o('p', { children: 'No SMS gateway account yet.' }),
            ],
          })
        : e.problem
          ? null
          : o('p', { 'aria-busy': 'true', children: 'Loading\u2026' }),
      i ? o(Ae, { gateway: i, onClose: () => a(void 0) }) : null,
      d
        ? o(re, {
            title: 'Delete SMS Gateway',
            message: `Delete the SMS gateway account ${d.name}? Its stored passwords are deleted too.`,
            confirmLabel: 'Delete',
            busy: h,
            onConfirm: () => {
              y(d);
            },
            onCancel: () => c(void 0),
          })
        : null,
    ],
  });
}
function Jt({ storeId: e }) {
  let t = `/admin/identity-stores/${C(e)}/api-keys`,
    n = O(() => I.get(t).then((D) => D.items), `keys:${e}`),
    [r, s] = b(''),
    [i, a] = b(),
    [d, c] = b(!1),
    [h, u] = b(),
    [w, g] = b(),
    [l, f] = b(),
    [p, y] = b(!1),
    { byField: S, rest: m } = Y(h, ['name']),
    v = async (D) => {
      (D.preventDefault(), y(!0), u(void 0), g(void 0), c(!1));
      try {
        (a(await I.post(t, { name: r.trim() })), s(''), n.reload());
      } catch (V) {
        u(N(V));
      } finally {
        y(!1);
      }
    },
    x = async (D) => {
      (y(!0), u(void 0));
      try {
        (await I.delete(`${t}/${C(D.id)}`),
          g(`API key ${D.name} deleted; it no longer works.`),
          i?.id === D.id && a(void 0),
          n.reload());
      } catch (V) {
        u(N(V));
      } finally {
        (y(!1), f(void 0));
      }
    };
  return o('section', {
    'aria-labelledby': 'api-keys-title',
    children: [
      o('h2', { id: 'api-keys-title', children: 'API keys' }),
      o(oe, { message: w }),
      o(M, { problem: h ?? n.problem, rest: m }),
      i
        ? o('div', {
            class: 'new-key',
            role: 'status',
            children: [
              o('p', {
                children: [
                  'API key ',
                  o('strong', { children: i.name }),
                  ' created. Copy it now: it is shown only once.',
                ],
              }),
              o('div', {
                class: 'copy-row',
                children: [
                  o(T, {
                    id: 'new-api-key',
                    label: 'New API key',
                    readOnly: !0,
                    value: i.key,
                    onValue: () => {},
                  }),
                  o('button', {
                    type: 'button',
                    onClick: () => {
                      navigator.clipboard.writeText(i.key).then(
                        () => c(!0),
                        () => c(!1),
                      );
                    },
                    children: d ? 'Copied' : 'Copy',
                  }),
                ],
              }),
            ],
          })
        : null,
      n.data?.length
        ? o('table', {
            children: [
              o('caption', { class: 'visually-hidden', children: 'API keys' }),
              o('thead', {
                children: o('tr', {
                  children: [
                    o('th', { scope: 'col', children: 'Name' }),
                    o('th', { scope: 'col', children: 'Created' }),
                    o('th', { scope: 'col', children: 'Last used' }),
                    o('th', { scope: 'col', children: 'Actions' }),
                  ],
                }),
              }),
              o('tbody', {
                children: n.data.map((D) =>
                  o(
                    'tr',
                    {
                      children: [
                        o('th', { scope: 'row', children: D.name }),
                        o('td', { children: Je(D.createdAt) }),
                        o('td', { children: Je(D.lastUsedAt) }),
                        o('td', {
                          class: 'row-actions',
                          children: o('button', {
                            type: 'button',
                            class: 'danger',
                            onClick: () => f(D),
                            children: 'Delete',
                          }),
                        }),
                      ],
                    },
                    D.id,
                  ),
                ),
              }),
            ],
          })
        : n.data
          ? o('p', { children: 'No API key yet.' })
          : null,
      o('form', {
        onSubmit: v,
        noValidate: !0,
        class: 'inline-form',
        children: [
          o(T, { id: 'api-key-name', label: 'API key name', value: r, onValue: s, errors: S.name }),
          o('button', { type: 'submit', disabled: p, children: 'Create API key' }),
        ],
      }),
      l
        ? o(re, {
            title: 'Delete API key',
            message: `Delete the API key ${l.name}? Client apps using it are refused from then on.`,
            confirmLabel: 'Delete',
            busy: p,
            onConfirm: () => {
              x(l);
            },
            onCancel: () => f(void 0),
          })
        : null,
    ],
  });
}
var Dn = `@\xA3$\xA5\xE8\xE9\xF9\xEC\xF2\xC7
\xD8\xF8\r\xC5\xE5\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\x1B\xC6\xE6\xDF\xC9 !"#\xA4%&'()*+,-./0123456789:;<=>?\xA1ABCDEFGHIJKLMNOPQRSTUVWXYZ\xC4\xD6\xD1\xDC\xA7\xBFabcdefghijklmnopqrstuvwxyz\xE4\xF6\xF1\xFC\xE0`;
var Gn = new Set([...Dn].filter((e) => e !== '\x1B')),
  Ln = new Set(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '\u20AC']),
  Nn = 160,
  Mn = 153,
  Fn = 70,
  $n = 67;
function zt(e, t, n, r) {
  if (t <= n) return 1;
  let s = 1,
    i = 0;
  for (let a of e) (i + a > r && ((s += 1), (i = 0)), (i += a));
  return s;
}
function Rn(e) {
  let t = [...e],
    n = [],
    r = !0;
  for (let i of t)
    if (Gn.has(i)) n.push(1);
    else if (Ln.has(i)) n.push(2);
    else {
      r = !1;
      break;
    }
  if (r) {
    let i = n.reduce((a, d) => a + d, 0);
    return { encoding: 'GSM-7', length: i, segments: zt(n, i, Nn, Mn) };
  }
  let s = t.map((i) => i.length);
  return { encoding: 'UCS-2', length: e.length, segments: zt(s, e.length, Fn, $n) };
}
var Qe = '[Code]';
function On(e, t) {
  return e.replaceAll(Qe, () => t);
}
function Qt(e, t) {
  if (!Number.isInteger(t) || t < 0)
    throw new RangeError(`codeLength must be a non-negative integer, got ${t}`);
  return Rn(On(e, '0'.repeat(t)));
}
var Xt = 640,
  Vn = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
function Zt(e) {
  let t = [],
    n = [...e].length;
  return (
    n === 0 ? t.push('must not be empty') : n > Xt && t.push(`must be at most ${Xt} characters, got ${n}`),
    n > 0 && !e.includes(Qe) && t.push(`must contain the ${Qe} placeholder (case-sensitive)`),
    Vn.test(e) && t.push('must not contain control characters other than line feed and carriage return'),
    t
  );
}
function en({ template: e, codeLength: t }) {
  let n = /^\d{1,2}$/.test(t.trim()) ? Number(t) : 0,
    r = Qt(e, n),
    s = Zt(e);
  return o('span', {
    'aria-live': 'polite',
    children: [
      o('span', { 'data-testid': 'message-encoding', children: r.encoding }),
      ',',
      ' ',
      o('span', {
        'data-testid': 'message-segments',
        children: [r.segments, ' ', r.segments === 1 ? 'segment' : 'segments'],
      }),
      ' ',
      '(',
      r.length,
      ' ',
      r.encoding === 'GSM-7' ? 'septets' : 'UTF-16 units',
      ' with a ',
      n,
      '-digit code)',
      s.length ? o('span', { class: 'warning', children: ['. The text message ', s.join(', '), '.'] }) : null,
    ],
  });
}
var tn = 'Your verification code is [Code]',
  nn = { length: 6, ttlSeconds: 300, maxAttempts: 5, resendIntervalSeconds: 30 },
  on = { perPhonePer10Minutes: 5, perPhonePerDay: 10, perStorePerDay: 1e4 };
var Ee = ['length', 'ttlSeconds', 'maxAttempts', 'resendIntervalSeconds'],
  De = ['perPhonePer10Minutes', 'perPhonePerDay', 'perStorePerDay'],
  rn = (e) => Object.fromEntries(Object.entries(e).map(([t, n]) => [t, String(n)]));
function Ze(e, t) {
  return {
    name: e?.name ?? '',
    enabled: e?.smsAuth.enabled ?? !1,
    gatewayId: e ? (e.smsAuth.gatewayId ?? '') : (t ?? ''),
    fallbackGatewayIds: e?.smsAuth.fallbackGatewayIds ?? [],
    messageTemplate: e?.smsAuth.messageTemplate ?? tn,
    enforcedRoles: (e?.smsAuth.enforcedRoles ?? []).join(', '),
    codePolicy: rn(e?.codePolicy ?? nn),
    sendLimits: rn(e?.sendLimits ?? on),
    allowedCountries: (e?.allowedCountries ?? []).join(', '),
  };
}
var sn = (e) => (/^\d+$/.test(e.trim()) ? Number(e.trim()) : e),
  an = (e) =>
    e
      .split(/[,\n]/)
      .map((t) => t.trim())
      .filter(Boolean);
function dn(e) {
  return {
    name: e.name.trim(),
    smsAuth: {
      enabled: e.enabled,
      gatewayId: e.gatewayId || null,
      fallbackGatewayIds: e.fallbackGatewayIds,
      messageTemplate: e.messageTemplate,
      enforcedRoles: an(e.enforcedRoles),
    },
    codePolicy: Object.fromEntries(Ee.map((t) => [t, sn(e.codePolicy[t])])),
    sendLimits: Object.fromEntries(De.map((t) => [t, sn(e.sendLimits[t])])),
    allowedCountries: an(e.allowedCountries).map((t) => t.toUpperCase()),
  };
}
var un = (e) => dn(e),
  ln = (e, t) => JSON.stringify(e) === JSON.stringify(t);
function cn(e, t) {
  let n = dn(e),
    r = {};
  n.name !== t.name && (r.name = n.name);
  for (let s of ['smsAuth', 'codePolicy', 'sendLimits']) {
    let i = t[s],
      a = Object.entries(n[s]).filter(([d, c]) => !ln(c, i[d]));
    a.length && (r[s] = Object.fromEntries(a));
  }
  return (ln(n.allowedCountries, t.allowedCountries) || (r.allowedCountries = n.allowedCountries), r);
}
var Hn = {
    length: 'Code length (digits)',
    ttlSeconds: 'Code lifetime (seconds)',
    maxAttempts: 'Attempts per code',
    resendIntervalSeconds: 'Resend interval (seconds)',
  },
  Un = {
    perPhonePer10Minutes: 'Sends per phone per 10 minutes',
    perPhonePerDay: 'Sends per phone per day',
    perStorePerDay: 'Sends per store per day',
  },
  qn = [
    'name',
    'smsAuth.enabled',
    'smsAuth.gatewayId',
    'smsAuth.fallbackGatewayIds',
    'smsAuth.messageTemplate',
    'smsAuth.enforcedRoles',
    ...Ee.map((e) => `codePolicy.${e}`),
    ...De.map((e) => `sendLimits.${e}`),
    'allowedCountries',
  ];
function et({ id: e }) {
  let t = O(
      () => Promise.all([ne(), e ? I.get(`/admin/identity-stores/${C(e)}`) : Promise.resolve(void 0)]),
      `store:${e ?? 'new'}`,
    ),
    [n, r] = t.data ?? [],
    [s, i] = b(Ze(void 0, void 0)),
    [a, d] = b(),
    [c, h] = b(!1);
  L(() => {
    t.data && i(Ze(r, n?.find((p) => p.isDefault)?.id));
  }, [t.data]);
  let { byField: u, rest: w } = Y(a, qn),
    g = (p) => i((y) => ({ ...y, ...p })),
    l = async (p) => {
      (p.preventDefault(), h(!0), d(void 0));
      try {
        let y = r
          ? await I.patch(`/admin/identity-stores/${C(r.id)}`, cn(s, r), r.version)
          : await I.post('/admin/identity-stores', un(s));
        F('identity-stores', `Identity store ${y.name} ${r ? 'saved' : 'created'}.`);
      } catch (y) {
        (d(N(y)), h(!1));
      }
    },
    f = e ? `Identity Store${r ? `: ${r.name}` : ''}` : 'Create Identity Store';
  return !t.data || !n
    ? o('section', {
        children: [
          o($, { children: f }),
          o(M, { problem: t.problem }),
          t.problem ? null : o('p', { 'aria-busy': 'true', children: 'Loading\u2026' }),
        ],
      })
    : o('section', {
        children: [
          o($, { children: f }),
          o('form', {
            onSubmit: l,
            noValidate: !0,
            children: [
              o(T, {
                id: 'store-name',
                label: 'Name',
                required: !0,
                value: s.name,
                onValue: (p) => g({ name: p }),
                errors: u.name,
              }),
              o('fieldset', {
                children: [
                  o('legend', { children: 'SMS Authentication' }),
                  o(X, {
                    id: 'store-enabled',
                    label: 'Enable SMS authentication',
                    checked: s.enabled,
                    onChecked: (p) => g({ enabled: p }),
                    errors: u['smsAuth.enabled'],
                  }),
                  o(de, {
                    id: 'store-gateway',
                    label: 'SMS gateway account',
                    value: s.gatewayId,
                    onValue: (p) => g({ gatewayId: p }),
                    errors: u['smsAuth.gatewayId'],
                    children: [
                      o('option', { value: '', children: 'None' }),
                      n.map((p) =>
                        o(
                          'option',
                          { value: p.id, children: [p.name, p.isDefault ? ' (default)' : ''] },
                          p.id,
                        ),
                      ),
                    ],
                  }),
                  o('fieldset', {
                    'aria-describedby': u['smsAuth.fallbackGatewayIds'] ? 'store-fallbacks-error' : void 0,
                    children: [
                      o('legend', {
                        children: 'Fallback gateway accounts (tried in this order when the first fails)',
                      }),
                      n.map((p) =>
                        o(
                          X,
                          {
                            id: `store-fallback-${p.id}`,
                            label: p.name,
                            checked: s.fallbackGatewayIds.includes(p.id),
                            onChecked: (y) =>
                              g({
                                fallbackGatewayIds: y
                                  ? n
                                      .map((S) => S.id)
                                      .filter((S) => S === p.id || s.fallbackGatewayIds.includes(S))
                                  : s.fallbackGatewayIds.filter((S) => S !== p.id),
                              }),
                          },
                          p.id,
                        ),
                      ),
                      u['smsAuth.fallbackGatewayIds']
                        ? o('p', {
                            class: 'field-error',
                            id: 'store-fallbacks-error',
                            children: u['smsAuth.fallbackGatewayIds'].join('; '),
                          })
                        : null,
                    ],
                  }),
                  o(Ie, {
                    id: 'store-template',
                    label: 'Text message',
                    value: s.messageTemplate,
                    onValue: (p) => g({ messageTemplate: p }),
                    errors: u['smsAuth.messageTemplate'],
                    hint: o(en, { template: s.messageTemplate, codeLength: s.codePolicy.length }),
                  }),
                  o(T, {
                    id: 'store-roles',
                    label: 'Enforced roles',
                    value: s.enforcedRoles,
                    onValue: (p) => g({ enforcedRoles: p }),
                    errors: u['smsAuth.enforcedRoles'],
                    hint: 'Comma-separated security roles that must use SMS; others may choose it.',
                  }),
                ],
              }),
              o('fieldset', {
                children: [
                  o('legend', { children: 'Code policy' }),
                  Ee.map((p) =>
                    o(
                      T,
                      {
                        id: `store-code-${p}`,
                        label: Hn[p],
                        inputMode: 'numeric',
                        value: s.codePolicy[p],
                        onValue: (y) => g({ codePolicy: { ...s.codePolicy, [p]: y } }),
                        errors: u[`codePolicy.${p}`],
                      },
                      p,
                    ),
                  ),
                ],
              }),
              o('fieldset', {
                children: [
                  o('legend', { children: 'Send limits' }),
                  De.map((p) =>
                    o(
                      T,
                      {
                        id: `store-limit-${p}`,
                        label: Un[p],
                        inputMode: 'numeric',
                        value: s.sendLimits[p],
                        onValue: (y) => g({ sendLimits: { ...s.sendLimits, [p]: y } }),
                        errors: u[`sendLimits.${p}`],
                      },
                      p,
                    ),
                  ),
                ],
              }),
              o(T, {
                id: 'store-countries',
                label: 'Allowed countries',
                value: s.allowedCountries,
                onValue: (p) => g({ allowedCountries: p }),
                errors: u.allowedCountries,
                hint: 'Comma-separated ISO country codes, for example GB, US; empty allows every country.',
              }),
              o(M, { problem: a, rest: w }),
              o('div', {
                class: 'actions',
                children: [
                  o('button', { type: 'submit', class: 'primary', disabled: c, children: 'Save' }),
                  o('button', { type: 'button', onClick: () => F('identity-stores'), children: 'Cancel' }),
                ],
              }),
            ],
          }),
          r ? o(Jt, { storeId: r.id }) : null,
        ],
      });
}
function pn() {
  let e = O(() => Promise.all([xe(), ne()]), 'stores'),
    [t, n] = b(Se),
    [r, s] = b(),
    [i, a] = b(),
    [d, c] = b(!1),
    [h, u] = e.data ?? [],
    w = Pe(u),
    g = async (l) => {
      (c(!0), s(void 0), n(void 0));
      try {
        (await I.delete(`/admin/identity-stores/${C(l.id)}`),
          n(`Identity store ${l.name} deleted.`),
          e.reload());
      } catch (f) {
        s({ ...N(f), title: `${l.name} was not deleted.` });
      } finally {
        (c(!1), a(void 0));
      }
    };
  return o('section', {
    children: [
      o($, { children: 'Identity Stores' }),
      o(oe, { message: t }),
      o(M, { problem: r ?? e.problem }),
      h
        ? o(G, {
            children: [
              o('p', {
                children: o('button', {
                  type: 'button',
                  class: 'primary',
                  onClick: () => F('identity-stores/new'),
                  children: 'Create Identity Store',
                }),
              }),
              h.length
                ? o('table', {
                    children: [
                      o('caption', { class: 'visually-hidden', children: 'Identity stores' }),
                      o('thead', {
                        children: o('tr', {
                          children: [
                            o('th', { scope: 'col', children: 'Name' }),
                            o('th', { scope: 'col', children: 'SMS authentication' }),
                            o('th', { scope: 'col', children: 'SMS gateway account' }),
                            o('th', { scope: 'col', children: 'Text message' }),
                            o('th', { scope: 'col', children: 'Actions' }),
                          ],
                        }),
                      }),
                      o('tbody', {
                        children: h.map((l) =>
                          o(
                            'tr',
                            {
                              children: [
                                o('th', {
                                  scope: 'row',
                                  children: o('a', {
                                    href: `/console/identity-stores/${C(l.id)}`,
                                    onClick: K(`identity-stores/${C(l.id)}`),
                                    children: l.name,
                                  }),
                                }),
                                o('td', { children: l.smsAuth.enabled ? 'Enabled' : 'Disabled' }),
                                o('td', {
                                  children: l.smsAuth.gatewayId ? w(l.smsAuth.gatewayId) : '\u2014',
                                }),
                                o('td', {
                                  children: [
                                    l.smsAuth.messageInfo.encoding,
                                    ', ',
                                    l.smsAuth.messageInfo.segments,
                                    ' ',
                                    l.smsAuth.messageInfo.segments === 1 ? 'segment' : 'segments',
                                  ],
                                }),
                                o('td', {
                                  class: 'row-actions',
                                  children: [
                                    o('button', {
                                      type: 'button',
                                      onClick: () => F(`identity-stores/${C(l.id)}`),
                                      children: 'Edit',
                                    }),
                                    o('button', {
                                      type: 'button',
                                      class: 'danger',
                                      onClick: () => a(l),
                                      children: 'Delete',
                                    }),
                                  ],
                                }),
                              ],
                            },
                            l.id,
                          ),
                        ),
                      }),
                    ],
                  })
                : o('p', { children: 'No identity store yet.' }),
            ],
          })
        : e.problem
          ? null
          : o('p', { 'aria-busy': 'true', children: 'Loading\u2026' }),
      i
        ? o(re, {
            title: 'Delete Identity Store',
            message: `Delete the identity store ${i.name}? Its API keys stop working and its users' factors are removed.`,
            confirmLabel: 'Delete',
            busy: d,
            onConfirm: () => {
              g(i);
            },
            onCancel: () => a(void 0),
          })
        : null,
    ],
  });
}
var mn = '([^/]+)',
  tt = [
    {
      label: 'SMS Gateway',
      path: 'gateways',
      screens: [
        { path: /^(?:gateways)?$/, render: () => o(Wt, {}) },
        { path: /^gateways\/new$/, render: () => o(Xe, {}) },
        { path: new RegExp(`^gateways/${mn}$`), render: (e) => o(Xe, { id: decodeURIComponent(e ?? '') }) },
      ],
    },
    {
      label: 'Identity Stores',
      path: 'identity-stores',
      screens: [
        { path: /^identity-stores$/, render: () => o(pn, {}) },
        { path: /^identity-stores\/new$/, render: () => o(et, {}) },
        {
          path: new RegExp(`^identity-stores/${mn}$`),
          render: (e) => o(et, { id: decodeURIComponent(e ?? '') }),
        },
      ],
    },
  ];
function fn(e) {
  for (let t of tt)
    for (let n of t.screens) {
      let r = n.path.exec(e);
      if (r) return { section: t, node: n.render(...r.slice(1).map((s) => s ?? '')) };
    }
}
Et();
function Bn({ refused: e, onSignedIn: t }) {
  let [n, r] = b('');
  return o('section', {
    children: [
      o($, { children: 'Sign in' }),
      e
        ? o('div', {
            class: 'alert',
            role: 'alert',
            children: o('p', {
              children: 'The admin token was not accepted. Open the console address printed at start again.',
            }),
          })
        : null,
      o('p', {
        children: [
          'Open the address that ',
          o('code', { children: 'npm start' }),
          ' (or ',
          o('code', { children: 'npm run console' }),
          ') prints: it signs this page in. Or paste the admin token here.',
        ],
      }),
      o('form', {
        class: 'inline-form',
        noValidate: !0,
        onSubmit: (s) => {
          (s.preventDefault(), n.trim() && (Dt(n), t()));
        },
        children: [
          o(T, {
            id: 'admin-token',
            label: 'Admin token',
            type: 'password',
            autoComplete: 'off',
            value: n,
            onValue: r,
          }),
          o('button', { type: 'submit', class: 'primary', children: 'Sign in' }),
        ],
      }),
    ],
  });
}
function Kn() {
  let e = $t(),
    [t, n] = b(we() !== null),
    [r, s] = b(!1);
  L(() => Mt(() => (n(!1), s(!0))), []);
  let i = t ? fn(e) : void 0;
  return (
    L(() => {
      document.title = `${i?.section.label ?? 'Sign in'} \xB7 sms-mfa console`;
    }, [i?.section.label]),
    o(G, {
      children: [
        o('header', {
          children: [
            o('a', { class: 'brand', href: z, onClick: K(''), children: 'sms-mfa' }),
            t
              ? o('nav', {
                  'aria-label': 'Main',
                  children: o('ul', {
                    children: tt.map((a) =>
                      o(
                        'li',
                        {
                          children: o('a', {
                            href: `${z}${a.path}`,
                            'aria-current': i?.section === a ? 'page' : void 0,
                            onClick: K(a.path),
                            children: a.label,
                          }),
                        },
                        a.path,
                      ),
                    ),
                  }),
                })
              : null,
          ],
        }),
        o(
          'main',
          {
            children: t
              ? i
                ? i.node
                : o('section', {
                    children: [
                      o($, { children: 'Not found' }),
                      o('p', {
                        children: [
                          'There is no such screen. ',
                          o('a', { href: z, onClick: K(''), children: 'Go to the SMS gateways.' }),
                        ],
                      }),
                    ],
                  })
              : o(Bn, { refused: r, onSignedIn: () => (n(!0), s(!1)) }),
          },
          t ? e : 'sign-in',
        ),
      ],
    })
  );
}
ft(o(Kn, {}), document.getElementById('app'));
