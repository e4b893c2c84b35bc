/* The block walk of generator.yamlio (``_mapping`` and ``_sequence``), compiled.
 *
 * It makes the Python walk's tests in the same order, with one function for a value of a mapping and of a
 * sequence (``write_value``: the two differ only in the line's prefix and in where a nested value starts),
 * reads the same caches (yamlio's own dicts, passed to configure()), and hands every case that is not the
 * hot path back to the same Python functions (``_key`` on a key the cache lacks, ``_scalar`` on a scalar it
 * lacks or that spans lines, ``_special_scalar`` on a value that is not plain data). So it writes what the Python walk writes, and
 * raises what it raises (yamlio's _Fallback). yamlio uses it when it is built and keeps its own walk
 * otherwise; the tests compare the two.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *KEYS, *STRS, *INTS;                     /* yamlio._KEYS, _STRS, _INTS */
static PyObject *KEY_FN, *SCALAR_FN, *SPECIAL_SCALAR_FN; /* yamlio._key, _scalar, _special_scalar */
static PyObject *FALLBACK;                               /* yamlio._Fallback */
static PyObject *S_INDENT, *S_COLON_SPACE, *S_DASH, *S_BRACES, *S_EMPTY_MAP;

typedef struct {
    PyObject *special; /* NULL: plain data only (dump) */
    PyObject *leaves;  /* special.leaves */
    PyObject *leaf;    /* special.leaf */
    PyObject *braces;  /* special.braces */
} Special;

/* a new string: the concatenation of n strings */
static PyObject *concat(Py_ssize_t n, PyObject **parts) {
    Py_ssize_t length = 0;
    Py_UCS4 widest = 127;
    for (Py_ssize_t i = 0; i < n; i++) {
        length += PyUnicode_GET_LENGTH(parts[i]);
        Py_UCS4 most = PyUnicode_MAX_CHAR_VALUE(parts[i]);
        if (most > widest) widest = most;
    }
    PyObject *made = PyUnicode_New(length, widest);
    if (made == NULL) return NULL;
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t size = PyUnicode_GET_LENGTH(parts[i]);
        if (PyUnicode_CopyCharacters(made, at, parts[i], 0, size) < 0) {
            Py_DECREF(made);
            return NULL;
        }
        at += size;
    }
    return made;
}

static PyObject *concat2(PyObject *a, PyObject *b) {
    PyObject *parts[2] = {a, b};
    return concat(2, parts);
}

/* out.append(line), consuming the reference to line */
static int append(PyObject *out, PyObject *line) {
    if (line == NULL) return -1;
    int failed = PyList_Append(out, line);
    Py_DECREF(line);
    return failed;
}

/* the text a call returns, checked to be a str (a new reference or NULL) */
static PyObject *call_text(PyObject *fn, PyObject *arg) {
    PyObject *text = PyObject_CallOneArg(fn, arg);
    if (text != NULL && !PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "expected str, got %.100s", Py_TYPE(text)->tp_name);
        Py_CLEAR(text);
    }
    return text;
}

static int has_braces(PyObject *text) { return PyUnicode_Contains(text, S_BRACES); }

/* the single line table (yamlio's _STRS or _INTS) caches for value, borrowed, or NULL (not cached, or
 * several lines) */
static PyObject *cached_line(PyObject *table, PyObject *value, int *failed) {
    PyObject *lines = PyDict_GetItemWithError(table, value);
    if (lines == NULL) {
        *failed = PyErr_Occurred() != NULL;
        return NULL;
    }
    if (PyTuple_GET_SIZE(PyTuple_GET_ITEM(lines, 1)) != 0) return NULL;
    return PyTuple_GET_ITEM(lines, 0);
}

static int call_scalar(PyObject *value, PyObject *prefix, PyObject *indent, PyObject *out) {
    PyObject *args[4] = {value, prefix, indent, out};
    PyObject *done = PyObject_Vectorcall(SCALAR_FN, args, 4, NULL);
    if (done == NULL) return -1;
    Py_DECREF(done);
    return 0;
}

static int call_special_scalar(PyObject *value, PyObject *prefix, PyObject *indent, PyObject *out,
                               const Special *sp) {
    PyObject *args[5] = {value, prefix, indent, out, sp->special};
    PyObject *done = PyObject_Vectorcall(SPECIAL_SCALAR_FN, args, 5, NULL);
    if (done == NULL) return -1;
    Py_DECREF(done);
    return 0;
}

static int is_plain_type(PyTypeObject *kind) {
    return kind == &PyUnicode_Type || kind == &PyLong_Type || kind == &PyBool_Type || kind == &PyFloat_Type ||
           kind == Py_TYPE(Py_None) || kind == &PyDict_Type || kind == &PyList_Type;
}

/* a dict subclass that iterates as a dict (written as a mapping in dump_special) */
static int dict_like(PyObject *value) {
    return PyDict_Check(value) && Py_TYPE(value)->tp_iter == PyDict_Type.tp_iter;
}

static int in_leaves(PyTypeObject *kind, const Special *sp) {
    return PySet_Contains(sp->leaves, (PyObject *)kind);
}

static int walk_mapping(PyObject *value, PyObject *indent, PyObject *prefix, PyObject *out, const Special *sp);
static int walk_sequence(PyObject *items, PyObject *indent, PyObject *out, const Special *sp);

/* the line of a key whose value is written below it: its prefix ("key: ") without the space */
static PyObject *key_line(PyObject *prefix) {
    return PyUnicode_Substring(prefix, 0, PyUnicode_GET_LENGTH(prefix) - 1);
}

/* prefix and the text fn(value) returns, appended as one line */
static int append_text(PyObject *out, PyObject *prefix, PyObject *fn, PyObject *value) {
    PyObject *text = call_text(fn, value);
    if (text == NULL) return -1;
    PyObject *line = concat2(prefix, text);
    Py_DECREF(text);
    return append(out, line);
}

/* a non-empty mapping or list as a value: below its key (in_mapping) or from its dash on */
static int nest(PyObject *v, int is_list, PyObject *prefix, int in_mapping, PyObject *indent, PyObject *inner,
                PyObject *out, const Special *sp) {
    if (!in_mapping) {
        if (is_list) {
            PyErr_SetNone(FALLBACK); /* a list in a list: PyYAML's layout */
            return -1;
        }
        return walk_mapping(v, inner, prefix, out, sp);
    }
    if (append(out, key_line(prefix)) < 0) return -1;
    return is_list ? walk_sequence(v, indent, out, sp) : walk_mapping(v, inner, inner, out, sp);
}

/* one value, of a mapping (in_mapping: prefix is "key: ") or of a sequence (prefix is "- "): its first line
 * starts with prefix; the keys of a mapping below it start with inner */
static int write_value(PyObject *v, PyObject *prefix, int in_mapping, PyObject *indent, PyObject *inner,
                       PyObject *out, const Special *sp) {
    PyTypeObject *kind = Py_TYPE(v);
    int failed = 0;
    if (kind == &PyUnicode_Type) {
        if (sp->special != NULL) {
            int braces = has_braces(v);
            if (braces < 0) return -1;
            if (braces) return append_text(out, prefix, sp->braces, v);
        }
        PyObject *line = cached_line(STRS, v, &failed);
        if (failed) return -1;
        if (line != NULL) return append(out, concat2(prefix, line));
        return call_scalar(v, prefix, indent, out);
    }
    if (kind == &PyDict_Type && PyDict_GET_SIZE(v) > 0) return nest(v, 0, prefix, in_mapping, indent, inner, out, sp);
    if (kind == &PyList_Type && PyList_GET_SIZE(v) > 0) return nest(v, 1, prefix, in_mapping, indent, inner, out, sp);
    if (is_plain_type(kind)) {
        if (kind == &PyLong_Type) {
            PyObject *text = cached_line(INTS, v, &failed);
            if (failed) return -1;
            if (text != NULL) return append(out, concat2(prefix, text));
        }
        return call_scalar(v, prefix, indent, out);
    }
    if (sp->special == NULL) {
        PyErr_SetNone(FALLBACK); /* subclasses and other types: PyYAML decides */
        return -1;
    }
    int leaf = in_leaves(kind, sp);
    if (leaf < 0) return -1;
    if (leaf) return append_text(out, prefix, sp->leaf, v);
    if (dict_like(v)) {
        int truth = PyObject_IsTrue(v);
        if (truth < 0) return -1;
        if (truth) return nest(v, 0, prefix, in_mapping, indent, inner, out, sp);
        return append(out, concat2(prefix, S_EMPTY_MAP));
    }
    return call_special_scalar(v, prefix, indent, out, sp);
}

/* the prefix of a key's line: head_prefix, the key as written, ": " (a new reference or NULL) */
static PyObject *key_prefix(PyObject *head_prefix, PyObject *k, const Special *sp) {
    PyObject *key;
    if (PyUnicode_CheckExact(k)) {
        key = Py_NewRef(k);
    } else {
        if (sp->special == NULL || !PyUnicode_Check(k)) {
            PyErr_SetNone(FALLBACK);
            return NULL;
        }
        key = PyUnicode_FromObject(k); /* str.__str__(k): the exact str */
        if (key == NULL) return NULL;
    }
    PyObject *text = NULL;
    if (sp->special != NULL) {
        int braces = has_braces(key);
        if (braces < 0) goto done;
        if (braces) {
            text = call_text(sp->braces, key);
            goto done;
        }
    }
    text = PyDict_GetItemWithError(KEYS, key);
    if (text != NULL) {
        Py_INCREF(text);
    } else if (!PyErr_Occurred()) {
        text = call_text(KEY_FN, key);
    }
done:
    Py_DECREF(key);
    if (text == NULL) return NULL;
    PyObject *parts[3] = {head_prefix, text, S_COLON_SPACE};
    PyObject *prefix = concat(3, parts);
    Py_DECREF(text);
    return prefix;
}

static int mapping_entry(PyObject *k, PyObject *v, PyObject *head_prefix, PyObject *indent, PyObject *inner,
                         PyObject *out, const Special *sp) {
    PyObject *prefix = key_prefix(head_prefix, k, sp);
    if (prefix == NULL) return -1;
    int failed = write_value(v, prefix, 1, indent, inner, out, sp);
    Py_DECREF(prefix);
    return failed;
}

static int walk_mapping(PyObject *value, PyObject *indent, PyObject *prefix, PyObject *out, const Special *sp) {
    if (Py_EnterRecursiveCall(" while writing YAML")) return -1;
    int failed = -1;
    PyObject *inner = concat2(indent, S_INDENT);
    if (inner == NULL) goto end;
    PyObject *head_prefix = prefix;
    if (PyDict_CheckExact(value)) {
        Py_ssize_t position = 0;
        PyObject *k, *v;
        while (PyDict_Next(value, &position, &k, &v)) {
            Py_INCREF(k);
            Py_INCREF(v);
            int bad = mapping_entry(k, v, head_prefix, indent, inner, out, sp);
            Py_DECREF(k);
            Py_DECREF(v);
            if (bad) goto end;
            head_prefix = indent;
        }
    } else { /* a dict subclass in dump_special: its own items() */
        PyObject *items = PyObject_CallMethod(value, "items", NULL);
        if (items == NULL) goto end;
        PyObject *iterator = PyObject_GetIter(items);
        Py_DECREF(items);
        if (iterator == NULL) goto end;
        PyObject *pair;
        while ((pair = PyIter_Next(iterator)) != NULL) {
            PyObject *k, *v;
            if (!PyArg_ParseTuple(pair, "OO", &k, &v)) {
                Py_DECREF(pair);
                Py_DECREF(iterator);
                goto end;
            }
            int bad = mapping_entry(k, v, head_prefix, indent, inner, out, sp);
            Py_DECREF(pair);
            if (bad) {
                Py_DECREF(iterator);
                goto end;
            }
            head_prefix = indent;
        }
        Py_DECREF(iterator);
        if (PyErr_Occurred()) goto end;
    }
    failed = 0;
end:
    Py_XDECREF(inner);
    Py_LeaveRecursiveCall();
    return failed;
}

static int walk_sequence(PyObject *items, PyObject *indent, PyObject *out, const Special *sp) {
    if (Py_EnterRecursiveCall(" while writing YAML")) return -1;
    int failed = -1;
    PyObject *inner = concat2(indent, S_INDENT);
    PyObject *dash = inner == NULL ? NULL : concat2(indent, S_DASH);
    if (dash == NULL) goto end;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        PyObject *item = Py_NewRef(PyList_GET_ITEM(items, i));
        int bad = write_value(item, dash, 0, indent, inner, out, sp);
        Py_DECREF(item);
        if (bad) goto end;
    }
    failed = 0;
end:
    Py_XDECREF(inner);
    Py_XDECREF(dash);
    Py_LeaveRecursiveCall();
    return failed;
}

static void release(Special *sp) {
    Py_XDECREF(sp->leaves);
    Py_XDECREF(sp->leaf);
    Py_XDECREF(sp->braces);
}

/* mapping(value, indent, prefix, out, special=None): yamlio._mapping */
static PyObject *mapping(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "mapping(value, indent, prefix, out, special)");
        return NULL;
    }
    if (KEYS == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    PyObject *value = args[0], *indent = args[1], *prefix = args[2], *out = args[3];
    if (!PyDict_Check(value) || !PyUnicode_Check(indent) || !PyUnicode_Check(prefix) || !PyList_Check(out)) {
        PyErr_SetString(PyExc_TypeError, "mapping(dict, str, str, list, special)");
        return NULL;
    }
    Special sp = {NULL, NULL, NULL, NULL};
    if (args[4] != Py_None) {
        sp.special = args[4];
        sp.leaves = PyObject_GetAttrString(sp.special, "leaves");
        sp.leaf = sp.leaves == NULL ? NULL : PyObject_GetAttrString(sp.special, "leaf");
        sp.braces = sp.leaf == NULL ? NULL : PyObject_GetAttrString(sp.special, "braces");
        if (sp.braces == NULL) {
            release(&sp);
            return NULL;
        }
        if (!PyAnySet_Check(sp.leaves)) {
            release(&sp);
            PyErr_SetString(PyExc_TypeError, "special.leaves must be a set or frozenset");
            return NULL;
        }
    }
    int failed = walk_mapping(value, indent, prefix, out, &sp);
    release(&sp);
    if (failed) return NULL;
    Py_RETURN_NONE;
}

/* configure(keys, strs, ints, key, scalar, special_scalar, fallback): yamlio's caches and helpers */
static PyObject *configure(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 7 || !PyDict_CheckExact(args[0]) || !PyDict_CheckExact(args[1]) || !PyDict_CheckExact(args[2])) {
        PyErr_SetString(PyExc_TypeError, "configure(keys, strs, ints, key, scalar, special_scalar, fallback)");
        return NULL;
    }
    PyObject **slots[7] = {&KEYS, &STRS, &INTS, &KEY_FN, &SCALAR_FN, &SPECIAL_SCALAR_FN, &FALLBACK};
    for (int i = 0; i < 7; i++) Py_XSETREF(*slots[i], Py_NewRef(args[i]));
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)(void (*)(void))configure, METH_FASTCALL, "yamlio's caches and helpers"},
    {"mapping", (PyCFunction)(void (*)(void))mapping, METH_FASTCALL, "yamlio._mapping, compiled"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, "_yamlwalk", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__yamlwalk(void) {
    PyObject **constants[5] = {&S_INDENT, &S_COLON_SPACE, &S_DASH, &S_BRACES, &S_EMPTY_MAP};
    const char *texts[5] = {"  ", ": ", "- ", "{{", "{}"};
    for (int i = 0; i < 5; i++) {
        if (*constants[i] == NULL && (*constants[i] = PyUnicode_InternFromString(texts[i])) == NULL) return NULL;
    }
    return PyModule_Create(&definition);
}
