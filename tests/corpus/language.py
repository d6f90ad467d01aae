# Programs for the language issue: classes, decorators, global/nonlocal, annotations, function
# attributes and exception chaining. Same format as statements.py: programs are separated by
# lines "# --- <tags>", each is run by `py!` (as respelled by gen_statements.py into
# language.rs) and by CPython's `exec` of all but its last line plus `eval` of the last, which
# must be an expression, in a fresh namespace holding the bindings of expressions.py (x, y, n,
# s, words, nums, flag, nothing, scores) and `__name__ = "__main__"`.
# Tags name the features a program exercises; `error` marks a program whose outcome is an
# exception (its type and message are compared). tests/corpus/check_language.py runs them
# all under CPython 3.9-3.13 and reports what differs.
# --- class
class Tokenizer:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def next_token(self):
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        if self.pos >= len(self.text):
            return None
        start = self.pos
        if self.text[start].isdigit():
            while self.pos < len(self.text) and self.text[self.pos].isdigit():
                self.pos += 1
            return ("NUM", int(self.text[start:self.pos]))
        if self.text[start].isalpha():
            while self.pos < len(self.text) and self.text[self.pos].isalnum():
                self.pos += 1
            return ("NAME", self.text[start:self.pos])
        self.pos += 1
        return ("OP", self.text[start])

    def tokens(self):
        out = []
        tok = self.next_token()
        while tok is not None:
            out.append(tok)
            tok = self.next_token()
        return out

Tokenizer("rate2 * (12 + 3)").tokens()
# --- class exception
class InsufficientFunds(Exception):
    def __init__(self, needed, available):
        super().__init__(f"need {needed}, have {available}")
        self.needed = needed
        self.available = available

class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(amount, self.balance)
        self.balance -= amount
        self.history.append(("withdraw", amount))

acct = Account("ada", 100)
acct.deposit(50)
errors = []
for amount in [30, 500, -1]:
    try:
        if amount < 0:
            acct.deposit(amount)
        else:
            acct.withdraw(amount)
    except InsufficientFunds as e:
        errors.append((str(e), e.needed - e.available, e.args))
    except ValueError as e:
        errors.append(str(e))
(acct.balance, acct.history, errors)
# --- class exception error
class InsufficientFunds(Exception):
    pass

class Wallet:
    def __init__(self, cash):
        self.cash = cash

    def pay(self, amount):
        if amount > self.cash:
            raise InsufficientFunds(f"cannot pay {amount} with {self.cash}")
        self.cash -= amount
        return self.cash

w = Wallet(20)
w.pay(15)
w.pay(10)
# --- class protocol
class Stack:
    def __init__(self):
        self._items = []

    def push(self, item):
        self._items.append(item)
        return self

    def pop(self):
        if not self._items:
            raise IndexError("pop from empty stack")
        return self._items.pop()

    def peek(self):
        return self._items[-1]

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(reversed(self._items))

    def __repr__(self):
        return f"Stack({self._items!r})"

st = Stack()
st.push(1).push(2).push(3)
popped = st.pop()
(popped, len(st), list(st), bool(st), repr(st), bool(Stack()), st.peek())
# --- class protocol error
class Stack:
    def __init__(self):
        self._items = []

    def pop(self):
        if not self._items:
            raise IndexError("pop from empty stack")
        return self._items.pop()

    def __len__(self):
        return len(self._items)

Stack().pop()
# --- class protocol
class Recorder:
    def __init__(self, log, name, suppress=False):
        self.log = log
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        self.log.append("enter " + self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        self.log.append(f"exit {self.name} {exc_type.__name__ if exc_type else None}")
        return self.suppress

log = []
with Recorder(log, "a") as r:
    log.append("body " + r.name)
with Recorder(log, "b", suppress=True):
    raise KeyError("hidden")
try:
    with Recorder(log, "c"):
        1 / 0
except ZeroDivisionError:
    log.append("caught")
with Recorder(log, "outer"), Recorder(log, "inner") as inner:
    log.append(inner.name)
log
# --- class protocol
class Transaction:
    def __init__(self, db):
        self.db = db
        self.error = None

    def __enter__(self):
        self.snapshot = dict(self.db)
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.db.clear()
            self.db.update(self.snapshot)
            self.error = f"{exc_type.__name__}: {exc}"
        return exc_type is KeyError

db = {"alice": 10, "bob": 5}
t1 = Transaction(db)
with t1 as data:
    data["alice"] -= 3
    data["bob"] += 3
t2 = Transaction(db)
with t2 as data:
    data["alice"] -= 100
    data["carol"] += 100
outcome = [dict(db), t1.error, t2.error]
t3 = Transaction(db)
try:
    with t3 as data:
        data["bob"] = 0
        raise ValueError("abort")
except ValueError as e:
    outcome.append(str(e))
outcome.append(db)
outcome
# --- class protocol operators
class Vector:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        return Vector(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vector(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vector(-self.x, -self.y)

    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    def __eq__(self, other):
        return isinstance(other, Vector) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"Vector({self.x}, {self.y})"

a = Vector(3, 4)
b = Vector(1, -1)
(a + b, a - b, a * 2, 3 * b, -a, abs(a), a == Vector(3, 4), a != b, len({a, Vector(3, 4), b}))
# --- class protocol operators error
class Vector:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        if not isinstance(other, Vector):
            return NotImplemented
        return Vector(self.x + other.x, self.y + other.y)

Vector(1, 2) + 5
# --- class protocol operators
class Money:
    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.cents + other.cents)
        if isinstance(other, int):
            return Money(self.cents + other)
        return NotImplemented

    def __radd__(self, other):
        return self.__add__(other)

    def __lt__(self, other):
        return self.cents < other.cents

    def __repr__(self):
        return "Money(%d.%02d)" % divmod(self.cents, 100)

wallet = [Money(250), Money(199), Money(1)]
(sum(wallet), sum(wallet, Money(5)), sorted(wallet), max(wallet), 10 + Money(5))
# --- class protocol operators
class Num:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        return ("Num.add", self.v, other.v)

    def __radd__(self, other):
        return ("Num.radd", self.v, other.v)

class Special(Num):
    def __radd__(self, other):
        return ("Special.radd", self.v, other.v)

(Num(1) + Num(2), Num(1) + Special(2), Special(1) + Num(2))
# --- class protocol operators
class Basket:
    def __init__(self, items=()):
        self.items = list(items)

    def __add__(self, other):
        return Basket(self.items + list(other))

    def __iadd__(self, other):
        self.items.extend(other)
        return self

class Frozen:
    def __init__(self, items=()):
        self.items = tuple(items)

    def __add__(self, other):
        return Frozen(self.items + tuple(other))

b = Basket([1])
alias = b
b += [2, 3]
f = Frozen([1])
falias = f
f += [2]
(b.items, alias is b, f.items, falias is f, falias.items)
# --- class protocol operators
class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    def __getitem__(self, index):
        i, j = index
        return self.rows[i][j]

    def __setitem__(self, index, value):
        i, j = index
        self.rows[i][j] = value

    def __matmul__(self, other):
        cols = list(zip(*other.rows))
        return Matrix([[sum(a * b for a, b in zip(row, col)) for col in cols] for row in self.rows])

    def __eq__(self, other):
        return self.rows == other.rows

    def __repr__(self):
        return f"Matrix({self.rows})"

m = Matrix([[1, 2], [3, 4]])
ident = Matrix([[1, 0], [0, 1]])
m2 = m @ m
m2[0, 1] = -1
(m @ ident == m, m2, m2[1, 0], m[1, 1])
# --- class property
class Temperature:
    def __init__(self, celsius):
        self.celsius = celsius

    @property
    def celsius(self):
        return self._celsius

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError(f"{value} is below absolute zero")
        self._celsius = value

    @property
    def fahrenheit(self):
        return self._celsius * 9 / 5 + 32

t = Temperature(25)
t.celsius = 100
results = [t.fahrenheit]
try:
    t.celsius = -300
except ValueError as e:
    results.append(str(e))
try:
    t.fahrenheit = 0
except AttributeError as e:
    results.append(type(e).__name__)
results.append(t.celsius)
results
# --- class property error
class Temperature:
    def __init__(self, celsius):
        self._celsius = celsius

    @property
    def fahrenheit(self):
        return self._celsius * 9 / 5 + 32

t = Temperature(10)
setattr(t, "fahrenheit", 0)
# --- class property error
class Account:
    def __init__(self, balance):
        self.balance = balance

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        if not isinstance(value, int):
            raise TypeError(f"balance must be an int, not {type(value).__name__}")
        self._balance = value

a = Account(10)
a.balance += 5
a.balance = "15"
a.balance
# --- class property
class Person:
    def __init__(self, first, last):
        self.first = first
        self.last = last

    def _get_full(self):
        return f"{self.first} {self.last}"

    def _set_full(self, value):
        self.first, self.last = value.split(" ", 1)

    def _del_full(self):
        self.first = self.last = ""

    full_name = property(_get_full, _set_full, _del_full, "The person's full name.")

p = Person("Ada", "Lovelace")
names = [p.full_name]
p.full_name = "Grace Brewster Hopper"
names.append((p.first, p.last))
del p.full_name
names.append(p.full_name)
(names, Person.full_name.__doc__, isinstance(Person.__dict__["full_name"], property))
# --- class property super
class Base:
    @property
    def label(self):
        return "base"

class Child(Base):
    @property
    def label(self):
        return super().label + "+child"

class GrandChild(Child):
    @property
    def label(self):
        return super().label.upper()

(Base().label, Child().label, GrandChild().label)
# --- class property functools
import functools

class Dataset:
    loads = 0

    def __init__(self, values):
        self.values = values

    @functools.cached_property
    def stats(self):
        Dataset.loads += 1
        return (min(self.values), max(self.values), sum(self.values) / len(self.values))

d = Dataset([4, 8, 15, 16, 23, 42])
first = d.stats
second = d.stats
(first, first is second, Dataset.loads, "stats" in vars(d))
# --- class super
class Shape:
    def __init__(self, name):
        self.name = name

    def describe(self):
        return f"{self.name} with area {self.area():.2f}"

    def area(self):
        return 0.0

class Rectangle(Shape):
    def __init__(self, w, h):
        super().__init__("rectangle")
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h

class Square(Rectangle):
    def __init__(self, side):
        super().__init__(side, side)
        self.name = "square"

    def describe(self):
        return super().describe().upper()

shapes = [Shape("blob"), Rectangle(2, 3.5), Square(3)]
([sh.describe() for sh in shapes], [c.__name__ for c in Square.__mro__], isinstance(shapes[2], Rectangle), issubclass(Rectangle, Square))
# --- class super
class Base:
    def __init__(self):
        self.calls = ["Base"]

class Left(Base):
    def __init__(self):
        super().__init__()
        self.calls.append("Left")

class Right(Base):
    def __init__(self):
        super().__init__()
        self.calls.append("Right")

class Child(Left, Right):
    def __init__(self):
        super().__init__()
        self.calls.append("Child")

(Child().calls, [k.__name__ for k in Child.__mro__])
# --- class super classmethod
class Model:
    registry = []

    @classmethod
    def create(cls, **fields):
        obj = cls()
        obj.fields = fields
        Model.registry.append(cls.__name__)
        return obj

class User(Model):
    @classmethod
    def create(cls, **fields):
        fields.setdefault("role", "member")
        return super().create(**fields)

class Admin(User):
    @classmethod
    def create(cls, **fields):
        fields["role"] = "admin"
        return super(User, cls).create(**fields)

u = User.create(name="ada")
a = Admin.create(name="bob")
(u.fields, a.fields, Model.registry, type(a).__name__)
# --- class super
class Base:
    def hello(self):
        return "base"

class Child(Base):
    def hello(self):
        return "child of " + super().hello()

def helper(obj):
    return super(Child, obj).hello()

(helper(Child()), Child().hello())
# --- class super function-attributes
class A:
    def who(self):
        return __class__.__name__

    def greet(self):
        return "A"

class B(A):
    def greet(self):
        return "B>" + super().greet()

(B().who(), B().greet(), A.who.__closure__[0].cell_contents is A, B.greet.__closure__[0].cell_contents is B, A.greet.__closure__)
# --- class super
class LoudList(list):
    def append(self, item):
        super().append(str(item).upper())

    def extend(self, items):
        for item in items:
            self.append(item)

class LoudDict(dict):
    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)

    def __missing__(self, key):
        return f"no {key}"

ll = LoudList(["x"])
ll.append("y")
ll.extend(["a", 1])
ld = LoudDict()
ld["Key"] = 1
(ll, len(ll), ld, ld["key"], ld["other"], isinstance(ll, list))
# --- class super
class Singleton:
    _instance = None

    def __new__(cls, *args, **kwargs):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance.created = 0
        cls._instance.created += 1
        return cls._instance

    def __init__(self, name):
        self.name = name

a = Singleton("first")
b = Singleton("second")
(a is b, a.name, a.created)
# --- class super
class Celsius(float):
    def __new__(cls, value):
        if value < -273.15:
            raise ValueError("too cold")
        return super().__new__(cls, round(value, 1))

    def __repr__(self):
        return f"{float(self)}C"

temps = [Celsius(21.456), Celsius(-3)]
try:
    Celsius(-300)
except ValueError as e:
    temps.append(str(e))
(temps, temps[0] + 1, isinstance(temps[0], float), sorted(temps[:2]))
# --- class qualname
class Outer:
    class Inner:
        def method(self):
            def helper():
                pass
            return helper

    def make(self):
        class Local:
            def m(self):
                pass
        return Local

def factory():
    def inner():
        pass
    return inner

(Outer.__qualname__, Outer.Inner.__qualname__, Outer.Inner.method.__qualname__, Outer.Inner().method().__qualname__, Outer().make().__qualname__, Outer().make().m.__qualname__, factory().__qualname__, factory.__qualname__, Outer.Inner.__name__)
# --- class qualname class-body
class Outer:
    label = __qualname__.lower()

    class Inner:
        label = __qualname__
        path = __qualname__.split(".")

(Outer.label, Outer.Inner.label, Outer.Inner.path)
# --- class qualname dataclass
from dataclasses import dataclass

def make_point_class():
    @dataclass
    class Point:
        x: int
        y: int
    return Point

P = make_point_class()
(P(1, 2), P.__qualname__, P.__name__)
# --- class class-decorator decorator qualname
def add_repr(cls):
    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{cls.__name__}({fields})"
    cls.__repr__ = __repr__
    return cls

def register(registry):
    def deco(cls):
        registry[cls.__name__.lower()] = cls
        return cls
    return deco

REGISTRY = {}

@register(REGISTRY)
@add_repr
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

(Point(1, "two"), sorted(REGISTRY), REGISTRY["point"] is Point, Point.__repr__.__qualname__)
# --- class class-decorator decorator
def singleton(cls):
    instances = {}
    def get(*args):
        if cls not in instances:
            instances[cls] = cls(*args)
        return instances[cls]
    get.wrapped_class = cls
    return get

@singleton
class Config:
    def __init__(self, env):
        self.env = env

c1 = Config("prod")
c2 = Config("dev")
(c1 is c2, c1.env, Config.wrapped_class.__name__, type(c1).__name__)
# --- class class-decorator decorator
def with_defaults(**defaults):
    def apply(cls):
        for key, value in defaults.items():
            setattr(cls, key, value)
        cls.default_names = sorted(defaults)
        return cls
    return apply

@with_defaults(color="red", size=3)
class Widget:
    size = 1

w = Widget()
(w.color, w.size, Widget.default_names)
# --- class init-subclass
class Plugin:
    plugins = {}

    def __init_subclass__(cls, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.plugins[cls.plugin_name] = cls

class Json(Plugin, name="json"):
    pass

class Yaml(Plugin):
    pass

class StrictJson(Json, name="strict-json"):
    pass

(sorted(Plugin.plugins), StrictJson.plugin_name, Yaml.plugin_name, Plugin.plugins["json"] is Json, hasattr(Plugin, "plugin_name"))
# --- class init-subclass
class Shape:
    required = ("area",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        missing = [name for name in cls.required if name not in vars(cls)]
        if missing:
            raise TypeError(f"{cls.__name__} must define {', '.join(missing)}")

class Circle(Shape):
    def area(self):
        return 3

problems = []
try:
    class Blob(Shape):
        pass
except TypeError as e:
    problems.append(str(e))
(Circle().area(), problems)
# --- class init-subclass error
class Base:
    pass

class Child(Base, flavor="vanilla"):
    pass

Child
# --- class init-subclass set-name metaclass class-decorator
log = []

class Field:
    def __set_name__(self, owner, name):
        log.append(f"set_name {owner.__name__}.{name}")

class Meta(type):
    def __new__(mcls, name, bases, ns, **kwargs):
        log.append(f"meta new {name} {sorted(kwargs)}")
        return super().__new__(mcls, name, bases, ns, **kwargs)

    def __init__(cls, name, bases, ns, **kwargs):
        log.append(f"meta init {name}")
        super().__init__(name, bases, ns)

class Base(metaclass=Meta):
    def __init_subclass__(cls, tag="", **kwargs):
        log.append(f"init_subclass {cls.__name__} {tag}")
        super().__init_subclass__(**kwargs)

def decorate(cls):
    log.append(f"decorator {cls.__name__}")
    return cls

log.clear()

@decorate
class Model(Base, tag="m"):
    log.append("body")
    field = Field()

log
# --- class set-name descriptor
class Typed:
    def __init__(self, kind):
        self.kind = kind

    def __set_name__(self, owner, name):
        self.owner = owner.__name__
        self.name = name
        self.private = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.private)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError(f"{self.name} must be {self.kind.__name__}, not {type(value).__name__}")
        setattr(obj, self.private, value)

class Product:
    name = Typed(str)
    price = Typed(float)

    def __init__(self, name, price):
        self.name = name
        self.price = price

p = Product("tea", 2.5)
errors = []
try:
    p.price = "cheap"
except TypeError as e:
    errors.append(str(e))
(p.name, p.price, errors, Product.price.owner, Product.name.private, sorted(vars(p)))
# --- class set-name descriptor error
class Positive:
    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        return obj.__dict__[self.name]

    def __set__(self, obj, value):
        if value <= 0:
            raise ValueError(f"{self.name} must be positive, got {value}")
        obj.__dict__[self.name] = value

class Order:
    quantity = Positive()
    price = Positive()

    def __init__(self, quantity, price):
        self.quantity = quantity
        self.price = price

ok = Order(3, 9.5)
(ok.quantity * ok.price, Order(0, 1))
# --- class descriptor
class Lazy:
    def __init__(self, func):
        self.func = func
        self.calls = 0

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        self.calls += 1
        value = self.func(obj)
        obj.__dict__[self.func.__name__] = value
        return value

class Report:
    def __init__(self, rows):
        self.rows = rows

    @Lazy
    def total(self):
        return sum(self.rows)

r = Report([1, 2, 3])
(r.total, r.total, Report.total.calls, vars(r))
# --- class slots
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

p = Point(1, 2)
p.x = 10
(p.x, p.y, hasattr(p, "__dict__"), Point.__slots__, type(Point.x).__name__)
# --- class slots error
class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

p = Point(1, 2)
p.z = 3
p
# --- class slots error
class Node:
    __slots__ = ("value", "next")

    def __init__(self, value):
        self.value = value

Node(1).next
# --- class slots error
class Config:
    __slots__ = ("debug",)
    debug = False

Config()
# --- class slots
class Base:
    __slots__ = ("a",)

class WithDict(Base):
    pass

class StillSlotted(Base):
    __slots__ = ("b",)

w = WithDict()
w.a = 1
w.extra = 2
s2 = StillSlotted()
s2.a, s2.b = 3, 4
blocked = None
try:
    s2.extra = 5
except AttributeError:
    blocked = "no extra on StillSlotted"
(vars(w), s2.a + s2.b, blocked, hasattr(s2, "__dict__"))
# --- class classmethod staticmethod
class Date:
    def __init__(self, year, month, day):
        self.year, self.month, self.day = year, month, day

    @classmethod
    def from_string(cls, text):
        year, month, day = map(int, text.split("-"))
        return cls(year, month, day)

    @staticmethod
    def is_leap(year):
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

    def __repr__(self):
        return f"{type(self).__name__}({self.year}, {self.month}, {self.day})"

class EuroDate(Date):
    pass

(Date.from_string("2024-02-29"), EuroDate.from_string("1999-12-31"), Date.is_leap(1900), Date(2000, 1, 1).is_leap(2000), isinstance(Date.__dict__["is_leap"], staticmethod), isinstance(Date.__dict__["from_string"], classmethod))
# --- class classmethod staticmethod
class Counter:
    instances = 0

    def __init__(self):
        Counter.instances += 1

    @classmethod
    def reset(cls):
        cls.instances = 0
        return cls

    @staticmethod
    def describe(count):
        return f"{count} instance" + ("" if count == 1 else "s")

made = [Counter() for _ in range(3)]
before = Counter.describe(Counter.instances)
Counter.reset()
Counter()
(before, Counter.describe(Counter.instances), Counter.reset() is Counter, made[0].describe(0))
# --- class class-body
order = []

class Config:
    order.append("start")
    debug = False
    level = 3 if debug else 1
    names = ["a", "b"]
    for name in names:
        order.append(name)
    del name
    if level > 0:
        verbose = True
    else:
        quiet = True
    order.append("end")

(order, Config.level, Config.verbose, hasattr(Config, "quiet"), hasattr(Config, "name"), sorted(k for k in vars(Config) if not k.startswith("__")))
# --- class class-body error
class Grid:
    size = 3
    cells = [[0] * size for _ in range(size)]

Grid.cells
# --- class class-body
class Grid:
    size = 3
    rows = [r * 10 for r in range(size)]
    pairs = [(r, c) for r in range(2) for c in range(r, 2)]

(Grid.rows, Grid.pairs)
# --- class class-body
rate = 0.5

class Shop:
    rate = 0.2

    def price(self, base):
        return base * (1 + rate)

    def class_price(self, base):
        return base * (1 + self.rate)

(Shop().price(100), Shop().class_price(100))
# --- class class-body
limit = 10

class Settings:
    limit = limit * 2
    label = f"limit={limit}"
    doubled = n * 2

(limit, Settings.limit, Settings.label, Settings.doubled)
# --- class class-body scope
def build():
    color = "red"

    class Widget:
        shade = color
        title = color.upper()

        def paint(self):
            return color * 2

    return Widget

W = build()
(W.shade, W.title, W().paint())
# --- class class-body scope error
def build():
    color = "red"

    class Widget:
        color = color

    return Widget

build().color
# --- class class-body
class Palette:
    """Named colors."""
    red = "#f00"
    green = "#0f0"
    names = ["red", "green"]
    lookup = {}
    for key in names:
        lookup[key] = key.upper()
    del key
    red = red.upper()

class Plain:
    pass

(Palette.__doc__, Palette.red, Palette.lookup, Plain.__doc__, sorted(k for k in Palette.__dict__ if not k.startswith("__")))
# --- class metaclass
class Registry(type):
    classes = []

    def __new__(mcls, name, bases, namespace, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace)
        if bases:
            mcls.classes.append(name)
        return cls

    def __call__(cls, *args, **kwargs):
        obj = super().__call__(*args, **kwargs)
        obj.created_by = "Registry"
        return obj

class Base(metaclass=Registry):
    pass

class Task(Base):
    def __init__(self, title):
        self.title = title

class Bug(Task):
    pass

b = Bug("crash")
(Registry.classes, b.title, b.created_by, type(Bug).__name__, isinstance(Bug, Registry))
# --- class metaclass
class UpperAttrs(type):
    def __new__(mcls, name, bases, ns):
        upper = {}
        for key, value in ns.items():
            if key.startswith("__"):
                upper[key] = value
            else:
                upper[key.upper()] = value
        return super().__new__(mcls, name, bases, upper)

class Settings(metaclass=UpperAttrs):
    host = "localhost"
    port = 8080

(Settings.HOST, Settings.PORT, hasattr(Settings, "host"))
# --- class metaclass class-body
class Recording(type):
    @classmethod
    def __prepare__(mcls, name, bases, **kwargs):
        return {"log": ["prepared for " + name]}

    def __new__(mcls, name, bases, ns, **kwargs):
        ns["kwargs"] = kwargs
        return super().__new__(mcls, name, bases, ns)

    def __init__(cls, name, bases, ns, **kwargs):
        super().__init__(name, bases, ns)

class Thing(metaclass=Recording, flavor="spicy"):
    size = 2

(Thing.log, Thing.size, Thing.kwargs)
# --- class metaclass error
class MetaA(type):
    pass

class MetaB(type):
    pass

class A(metaclass=MetaA):
    pass

class B(metaclass=MetaB):
    pass

class C(A, B):
    pass

C
# --- class metaclass
Point = type("Point", (), {"x": 0, "norm": lambda self: abs(self.x)})

class Point3(Point):
    z = 1

p = Point3()
p.x = -4
(p.norm(), Point3.__bases__[0].__name__, Point.__qualname__, [c.__name__ for c in Point3.__mro__])
# --- class protocol error
class Card:
    def __init__(self, rank):
        self.rank = rank

    def __eq__(self, other):
        return self.rank == other.rank

(Card(3) == Card(3), Card.__hash__ is None, {Card(1)})
# --- class protocol
class Deck:
    def __init__(self):
        self.cards = [r + s for s in "SH" for r in "A23"]

    def __len__(self):
        return len(self.cards)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Deck.from_cards(self.cards[index])
        return self.cards[index]

    @classmethod
    def from_cards(cls, cards):
        d = cls()
        d.cards = list(cards)
        return d

    def __repr__(self):
        return "Deck(" + " ".join(self.cards) + ")"

d = Deck()
(len(d), d[0], d[-1], d[1:3], list(d), "3H" in d, "KS" in d, list(reversed(d))[:2])
# --- class protocol
class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1

c = Countdown(3)
first = next(c)
rest = list(c)
(first, rest, list(c), next(Countdown(0), "empty"), sum(Countdown(4)), [a * b for a, b in zip(Countdown(3), Countdown(5))])
# --- class protocol
class Node:
    def __init__(self, value, next=None):
        self.value = value
        self.next = next

class LinkedList:
    def __init__(self, values=()):
        self.head = None
        self.size = 0
        for v in reversed(list(values)):
            self.push(v)

    def push(self, value):
        self.head = Node(value, self.head)
        self.size += 1

    def __iter__(self):
        return LinkedListIterator(self.head)

    def __len__(self):
        return self.size

    def __contains__(self, value):
        return any(v == value for v in self)

    def __repr__(self):
        return "LinkedList([" + ", ".join(repr(v) for v in self) + "])"

class LinkedListIterator:
    def __init__(self, node):
        self.node = node

    def __iter__(self):
        return self

    def __next__(self):
        if self.node is None:
            raise StopIteration
        value = self.node.value
        self.node = self.node.next
        return value

ll = LinkedList(["a", "b", "c"])
ll.push("z")
first, *others = ll
(ll, len(ll), "b" in ll, "q" in ll, first, others, sorted(ll), dict(enumerate(ll)))
# --- class protocol
class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return (args, sorted(kwargs.items()))

count = Counter()
out = [count(1, 2), count(key="v"), count()]
(out, count.calls, callable(count), callable(Counter()), list(map(count, [5])), count.calls)
# --- class protocol error
class Bag:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

(bool(Bag(0)), bool(Bag(2)), "yes" if Bag(1) else "no", len(Bag(-1)))
# --- class protocol
class Queue:
    def __init__(self, items):
        self.items = list(items)

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        raise AssertionError("__bool__ wins over __len__")

    def get(self):
        return self.items.pop(0)

q = Queue([3, 1, 2])
served = []
while q:
    served.append(q.get())
(served, bool(q), not q)
# --- class protocol
class Celsius:
    def __init__(self, deg):
        self.deg = deg

    def __repr__(self):
        return f"Celsius({self.deg!r})"

    def __str__(self):
        return f"{self.deg}°C"

    def __format__(self, spec):
        if spec == "f":
            return f"{self.deg * 9 / 5 + 32:.1f}°F"
        return format(str(self), spec)

c = Celsius(21.5)
(repr(c), str(c), f"{c}", f"{c:f}", f"{c:>8}|", [c], "%s|%r" % (c, c), f"{c!r}")
# --- class protocol functools
import functools

@functools.total_ordering
class Version:
    def __init__(self, text):
        self.parts = tuple(int(p) for p in text.split("."))

    def __eq__(self, other):
        return self.parts == other.parts

    def __lt__(self, other):
        return self.parts < other.parts

    def __hash__(self):
        return hash(self.parts)

    def __repr__(self):
        return "Version(" + ".".join(map(str, self.parts)) + ")"

vs = [Version("1.10"), Version("1.2"), Version("1.2.1"), Version("0.9")]
(sorted(vs), max(vs), Version("2.0") >= Version("1.99"), Version("1.0") <= Version("1.0"), len(set(vs + [Version("1.2")])))
# --- class protocol
class Meters:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        if isinstance(other, Meters):
            return self.v == other.v
        return NotImplemented

    __hash__ = None

class Feet:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        if isinstance(other, Meters):
            return abs(self.v * 0.3048 - other.v) < 1e-9
        return NotImplemented

(Meters(3) == Meters(3), Meters(0.3048) == Feet(1), Meters(1) == 1, Meters(1) != "x", Meters(2) == Meters(3), Meters(1) in [Meters(0), Meters(1)])
# --- class protocol error
class Meters:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return self.v == other.v

sorted([Meters(2), Meters(1)])
# --- class protocol
class CaseInsensitive:
    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, CaseInsensitive) and self.text.lower() == other.text.lower()

    def __hash__(self):
        return hash(self.text.lower())

    def __repr__(self):
        return f"CI({self.text!r})"

headers = {CaseInsensitive("Content-Type"): "json"}
headers[CaseInsensitive("content-type")] = "xml"
(headers, len(headers), CaseInsensitive("ACCEPT") in {CaseInsensitive("accept")})
# --- class protocol
class Record:
    def __init__(self, **fields):
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name):
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"Record has no field {name!r}") from None

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f"cannot add field {name!r}")
        self._fields[name] = value

r = Record(name="ada", age=36)
r.age += 1
try:
    r.email = "ada@example.com"
except AttributeError as e:
    err = str(e)
(r.name, r.age, getattr(r, "email", "n/a"), hasattr(r, "zzz"), err)
# --- class protocol error
class Record:
    def __init__(self, **fields):
        self._fields = fields

    def __getattr__(self, name):
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"Record has no field {name!r}") from None

Record(a=1).b
# --- class protocol
class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

p = Point(1, 2)
(Point.__match_args__, tuple(getattr(p, name) for name in Point.__match_args__))
# --- class protocol
class Grid:
    def __init__(self, width, height, fill=0):
        self.width = width
        self.cells = {}
        self.fill = fill
        self.height = height

    def __getitem__(self, pos):
        return self.cells.get(pos, self.fill)

    def __setitem__(self, pos, value):
        col, row = pos
        if not (0 <= col < self.width and 0 <= row < self.height):
            raise IndexError(f"{pos} is outside the grid")
        self.cells[pos] = value

    def __delitem__(self, pos):
        del self.cells[pos]

    def __contains__(self, pos):
        return pos in self.cells

g = Grid(3, 2)
g[0, 0] = "a"
g[2, 1] = "b"
g[1, 1] = "c"
del g[1, 1]
errors = []
try:
    g[5, 5] = "x"
except IndexError as e:
    errors.append(str(e))
try:
    del g[1, 0]
except KeyError as e:
    errors.append(repr(e))
(g[0, 0], g[1, 1], (2, 1) in g, (1, 1) in g, sorted(g.cells), errors)
# --- class protocol
class Index:
    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value

i2 = Index(2)
("abcdef"[i2], "abcdef"[Index(1):Index(4)], list(range(Index(3))), bin(Index(5)), [0, 1, 2, 3][i2:], hex(Index(255)))
# --- class protocol
class Pair:
    def __init__(self, first, second):
        self.first = first
        self.second = second

    def __iter__(self):
        return iter((self.first, self.second))

    def __reversed__(self):
        return iter((self.second, self.first))

a, b = Pair(1, 2)
(a, b, list(reversed(Pair("x", "y"))), dict([Pair("k", "v")]), max(Pair(3, 9)), [*Pair(0, 0), *Pair(1, 1)])
# --- class protocol
class Fraction:
    def __init__(self, num, den=1):
        if den == 0:
            raise ZeroDivisionError("denominator is zero")
        g = self._gcd(num, den)
        sign = -1 if den < 0 else 1
        self.num = sign * num // g
        self.den = sign * den // g

    @staticmethod
    def _gcd(a, b):
        while b:
            a, b = b, a % b
        return abs(a) or 1

    def __add__(self, other):
        if isinstance(other, int):
            other = Fraction(other)
        return Fraction(self.num * other.den + other.num * self.den, self.den * other.den)

    __radd__ = __add__

    def __mul__(self, other):
        if isinstance(other, int):
            other = Fraction(other)
        return Fraction(self.num * other.num, self.den * other.den)

    def __truediv__(self, other):
        return self * Fraction(other.den, other.num)

    def __eq__(self, other):
        if isinstance(other, int):
            return self.den == 1 and self.num == other
        return (self.num, self.den) == (other.num, other.den)

    def __hash__(self):
        return hash((self.num, self.den))

    def __float__(self):
        return self.num / self.den

    def __int__(self):
        return self.num // self.den

    def __repr__(self):
        return f"{self.num}/{self.den}"

half = Fraction(1, 2)
third = Fraction(2, -6)
(half + third, half * 3, 1 + half, half / third, float(third), int(Fraction(7, 2)), Fraction(4, 2) == 2, sum([half, half, half]))
# --- class protocol
class Observable:
    def __init__(self):
        self._listeners = {}

    def on(self, event, callback):
        self._listeners.setdefault(event, []).append(callback)
        return self

    def emit(self, event, *args):
        return [cb(*args) for cb in self._listeners.get(event, [])]

class Logger:
    def __init__(self):
        self.lines = []

    def __call__(self, *args):
        self.lines.append(" ".join(map(str, args)))
        return len(self.lines)

bus = Observable()
logger = Logger()
bus.on("save", logger).on("save", lambda name: name.upper()).on("quit", logger)
(bus.emit("save", "doc.txt"), bus.emit("quit"), bus.emit("other"), logger.lines)
# --- class
class BankAccount:
    interest_rate = 0.02
    accounts = 0

    def __init__(self, owner):
        self.owner = owner
        self.balance = 0
        BankAccount.accounts += 1

class Savings(BankAccount):
    interest_rate = 0.05

a = BankAccount("a")
b = Savings("b")
b.interest_rate = 0.1
BankAccount.interest_rate = 0.03
(a.interest_rate, b.interest_rate, Savings.interest_rate, Savings.accounts, "interest_rate" in vars(b), "interest_rate" in vars(a))
# --- class
class Dog:
    tricks = []

    def __init__(self, name):
        self.name = name

    def add_trick(self, trick):
        self.tricks.append(trick)

class Cat:
    def __init__(self, name):
        self.name = name
        self.tricks = []

    def add_trick(self, trick):
        self.tricks.append(trick)

d1, d2 = Dog("rex"), Dog("fido")
d1.add_trick("roll")
d2.add_trick("sit")
c1, c2 = Cat("tom"), Cat("kit")
c1.add_trick("purr")
(d1.tricks, d2.tricks is d1.tricks, c1.tricks, c2.tricks)
# --- class
class Expr:
    def evaluate(self, env):
        raise NotImplementedError(type(self).__name__)

class Num(Expr):
    def __init__(self, value):
        self.value = value

    def evaluate(self, env):
        return self.value

    def __repr__(self):
        return str(self.value)

class Var(Expr):
    def __init__(self, name):
        self.name = name

    def evaluate(self, env):
        return env[self.name]

    def __repr__(self):
        return self.name

class BinOp(Expr):
    ops = {"+": lambda a, b: a + b, "*": lambda a, b: a * b, "-": lambda a, b: a - b}

    def __init__(self, op, left, right):
        self.op, self.left, self.right = op, left, right

    def evaluate(self, env):
        return self.ops[self.op](self.left.evaluate(env), self.right.evaluate(env))

    def __repr__(self):
        return f"({self.left!r} {self.op} {self.right!r})"

tree = BinOp("+", Num(2), BinOp("*", Var("k"), BinOp("-", Var("k"), Num(1))))
results = [repr(tree), tree.evaluate({"k": 5})]
try:
    Expr().evaluate({})
except NotImplementedError as e:
    results.append(("NotImplementedError", str(e)))
try:
    tree.evaluate({})
except KeyError as e:
    results.append(("KeyError", str(e)))
results
# --- class
class Animal:
    sound = "..."

    def __init__(self, name):
        self.name = name

    def speak(self):
        return f"{self.name} says {self.sound}"

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"

class Dog(Animal):
    sound = "woof"

class Puppy(Dog):
    def speak(self):
        return Dog.speak(self) + "!"

class Robot:
    def speak(self):
        return "beep"

pets = [Animal("generic"), Dog("rex"), Puppy("bit")]
([p.speak() for p in pets + [Robot()]], pets, [isinstance(p, Dog) for p in pets], issubclass(Puppy, (Robot, Animal)))
# --- class error
class Circle:
    def __init__(self, radius):
        self.radius = radius

    def area(self):
        return 3.14159 * self.radius ** 2

c = Circle(2)
(round(c.area(), 2), Circle.area(c) == c.area(), c.perimeter())
# --- class error
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

Point(1)
# --- class error
class Greeter:
    def greet(name):
        return "hi " + name

Greeter().greet("bob")
# --- class
class LRU:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = {}

    def get(self, key, default=None):
        if key not in self.data:
            return default
        value = self.data.pop(key)
        self.data[key] = value
        return value

    def put(self, key, value):
        self.data.pop(key, None)
        self.data[key] = value
        if len(self.data) > self.capacity:
            oldest = next(iter(self.data))
            del self.data[oldest]

    def __repr__(self):
        return f"LRU({list(self.data.items())})"

cache = LRU(2)
cache.put("a", 1)
cache.put("b", 2)
cache.get("a")
cache.put("c", 3)
(cache, cache.get("b", "evicted"), cache.get("a"))
# --- class
class Inventory:
    def __init__(self):
        self.stock = {}

    def add(self, item, qty=1):
        self.stock[item] = self.stock.get(item, 0) + qty
        return self

    def remove(self, item, qty=1):
        have = self.stock.get(item, 0)
        if qty > have:
            raise ValueError(f"only {have} {item} left")
        if have == qty:
            del self.stock[item]
        else:
            self.stock[item] = have - qty
        return self

    def __len__(self):
        return sum(self.stock.values())

    def __iter__(self):
        return iter(sorted(self.stock.items()))

inv = Inventory().add("apple", 5).add("pear").add("apple", 2).remove("pear")
problems = []
for item, qty in [("apple", 3), ("fig", 1)]:
    try:
        inv.remove(item, qty)
    except ValueError as e:
        problems.append(str(e))
(list(inv), len(inv), problems)
# --- dataclass
from dataclasses import dataclass, field

@dataclass
class Item:
    name: str
    price: float
    quantity: int = 0
    tags: list = field(default_factory=list)

    def total(self):
        return self.price * self.quantity

inventory = [Item("apple", 0.5, 10), Item("pear", 0.75), Item("fig", 2.0, 3, ["dried"])]
inventory[1].quantity += 4
inventory[0].tags.append("fresh")
(inventory, sum(i.total() for i in inventory), Item("a", 1.0) == Item("a", 1.0), inventory[1].tags is inventory[2].tags, Item("a", 1.0) == ("a", 1.0))
# --- dataclass
from dataclasses import dataclass, field

@dataclass(order=True)
class Task:
    priority: int
    name: str = field(compare=False)
    done: bool = field(default=False, repr=False, compare=False)

tasks = [Task(3, "write"), Task(1, "plan"), Task(2, "code"), Task(1, "coffee")]
tasks[0].done = True
(sorted(tasks), Task(1, "a") < Task(2, "b"), Task(1, "a") == Task(1, "b"), min(tasks).name, max(tasks))
# --- dataclass error
from dataclasses import dataclass

@dataclass(frozen=True)
class Point:
    x: int
    y: int

p = Point(1, 2)
p.x = 5
p
# --- dataclass
import dataclasses

@dataclasses.dataclass(frozen=True)
class Color:
    r: int
    g: int
    b: int = 0

    def hex(self):
        return "#%02x%02x%02x" % (self.r, self.g, self.b)

c = Color(255, 128)
d = dataclasses.replace(c, b=64)
(c, d.hex(), {c: "orange"}[Color(255, 128, 0)], dataclasses.asdict(d), dataclasses.astuple(c), [f.name for f in dataclasses.fields(Color)], dataclasses.is_dataclass(c))
# --- dataclass
from dataclasses import dataclass, field

@dataclass
class Rectangle:
    width: float
    height: float
    area: float = field(init=False)

    def __post_init__(self):
        if self.width < 0 or self.height < 0:
            raise ValueError("negative size")
        self.area = self.width * self.height

r = Rectangle(2, 3.5)
problems = []
try:
    Rectangle(-1, 2)
except ValueError as e:
    problems.append(str(e))
(r, r.area, problems)
# --- dataclass error
from dataclasses import dataclass

@dataclass
class Config:
    name: str = "app"
    port: int

Config()
# --- dataclass error
from dataclasses import dataclass

@dataclass
class Basket:
    owner: str
    items: list = []

Basket("ada")
# --- dataclass
from dataclasses import dataclass
from typing import ClassVar

@dataclass
class Employee:
    count: ClassVar[int] = 0
    name: str
    salary: int = 1000

    def __post_init__(self):
        Employee.count += 1

@dataclass
class Manager(Employee):
    reports: int = 0

staff = [Employee("ada"), Manager("bob", 2000, 3), Employee("cy", salary=1500)]
(staff, Employee.count, sum(e.salary for e in staff), Manager("x") == Employee("x"), [f for f in Manager.__dataclass_fields__])
# --- dataclass
from dataclasses import dataclass, field

@dataclass
class Order:
    order_id: int
    lines: dict = field(default_factory=dict)

    def add(self, product, qty=1):
        self.lines[product] = self.lines.get(product, 0) + qty
        return self

    @property
    def count(self):
        return sum(self.lines.values())

o1 = Order(1).add("tea").add("cake", 2).add("tea")
o2 = Order(2)
(o1, o2, o1.count, o2.lines is o1.lines, Order(3) == Order(3))
# --- dataclass error
from dataclasses import dataclass

@dataclass
class Point:
    x: int
    y: int

Point(1, 2, 3)
# --- dataclass
from dataclasses import dataclass

@dataclass(eq=False)
class Handle:
    name: str

@dataclass(repr=False)
class Secret:
    value: str

    def __repr__(self):
        return "Secret(***)"

h = Handle("a")
(h == Handle("a"), h == h, Secret("pw"), hash(Handle("x")) is not None, Handle.__hash__ is object.__hash__)
# --- dataclass
import dataclasses
import heapq

@dataclasses.dataclass(order=True)
class Job:
    priority: int
    seq: int
    name: str = dataclasses.field(compare=False)

queue = []
for seq, (prio, name) in enumerate([(2, "b"), (1, "a"), (3, "c"), (1, "a2")]):
    heapq.heappush(queue, Job(prio, seq, name))
[heapq.heappop(queue).name for _ in range(len(queue))]
# --- enum
from enum import Enum, auto

class State(Enum):
    IDLE = auto()
    RUNNING = auto()
    PAUSED = auto()
    STOPPED = auto()

TRANSITIONS = {
    State.IDLE: {"start": State.RUNNING},
    State.RUNNING: {"pause": State.PAUSED, "stop": State.STOPPED},
    State.PAUSED: {"resume": State.RUNNING, "stop": State.STOPPED},
    State.STOPPED: {},
}

def run(events):
    state = State.IDLE
    trace = [state.name]
    for event in events:
        nxt = TRANSITIONS[state].get(event)
        if nxt is None:
            trace.append(f"ignored {event}")
            continue
        state = nxt
        trace.append(state.name)
    return state, trace

run(["start", "pause", "start", "resume", "stop", "start"])
# --- enum
from enum import Enum

class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3
    CRIMSON = 1

(Color(2), Color["BLUE"], Color.RED.name, Color.BLUE.value, list(Color), len(Color), Color.CRIMSON is Color.RED, Color.RED == 1, isinstance(Color.GREEN, Color), [m.name for m in Color.__members__.values()])
# --- enum error
from enum import Enum

class Color(Enum):
    RED = 1
    GREEN = 2

Color(7)
# --- enum error
from enum import Enum

class Color(Enum):
    RED = 1
    GREEN = 2

Color["PURPLE"]
# --- enum
from enum import IntEnum

class Priority(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3

tickets = [("crash", Priority.HIGH), ("typo", Priority.LOW), ("slow", Priority.MEDIUM)]
ranked = sorted(tickets, key=lambda t: t[1], reverse=True)
([name for name, _ in ranked], Priority.HIGH > 2, Priority.LOW + 1, Priority(2), max(Priority), [p.value for p in Priority], Priority.MEDIUM == 2, isinstance(Priority.LOW, int))
# --- enum
from enum import Enum

class Planet(Enum):
    MERCURY = (3.303e23, 2.4397e6)
    EARTH = (5.976e24, 6.37814e6)

    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius

    @property
    def surface_gravity(self):
        return 6.673e-11 * self.mass / (self.radius * self.radius)

    @classmethod
    def heaviest(cls):
        return max(cls, key=lambda p: p.mass)

(round(Planet.EARTH.surface_gravity, 2), Planet.heaviest(), Planet.MERCURY.value, Planet((5.976e24, 6.37814e6)).name)
# --- enum
from enum import Enum, auto

class Method(str, Enum):
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()

    GET = auto()
    POST = auto()

class Level(Enum):
    DEBUG = auto()
    INFO = auto()

    def __str__(self):
        return self.name.lower()

(Method.GET, Method.POST.value, Method.GET == "get", Method("post"), [l.value for l in Level], str(Level.INFO), f"{Level.DEBUG!s}", Level.INFO.value > Level.DEBUG.value)
# --- enum error
from enum import Enum

class Color(Enum):
    RED = 1

Color.RED = 2
Color.RED
# --- enum
from enum import Enum

class Suit(Enum):
    HEARTS = "H"
    SPADES = "S"

    @property
    def color(self):
        return "red" if self is Suit.HEARTS else "black"

    def describe(self):
        return f"{self.name.title()} ({self.value}) is {self.color}"

counts = {}
for card in ["H", "S", "H", "H"]:
    suit = Suit(card)
    counts[suit] = counts.get(suit, 0) + 1
([s.describe() for s in Suit], counts, Suit.HEARTS in counts, repr(Suit.SPADES))
# --- enum
from enum import Enum

Animal = Enum("Animal", "ANT BEE CAT")

class Shape(Enum):
    SQUARE = 2
    DIAMOND = 1
    CIRCLE = 3
    ALIAS_FOR_SQUARE = 2

(list(Animal), Animal.BEE.value, list(Shape), list(Shape.__members__), Shape(2))
# --- abc error
from abc import ABC, abstractmethod

class Shape(ABC):
    @abstractmethod
    def area(self):
        pass

    @abstractmethod
    def perimeter(self):
        pass

Shape()
# --- abc
from abc import ABC, abstractmethod

class Shape(ABC):
    @abstractmethod
    def area(self):
        ...

    def describe(self):
        return f"{type(self).__name__} of area {self.area()}"

class Square(Shape):
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side ** 2

class Half(Shape):
    pass

errors = []
try:
    Half()
except TypeError:
    errors.append("Half is abstract")
(Square(3).describe(), sorted(Shape.__abstractmethods__), sorted(Half.__abstractmethods__), Square.__abstractmethods__, errors, isinstance(Square(1), Shape))
# --- abc error
from abc import ABC, abstractmethod

class Repository(ABC):
    @abstractmethod
    def get(self, key):
        ...

    @abstractmethod
    def put(self, key, value):
        ...

class Partial(Repository):
    def get(self, key):
        return None

Partial()
# --- abc property
from abc import ABC, abstractmethod

class Vehicle(ABC):
    @property
    @abstractmethod
    def wheels(self):
        ...

    def describe(self):
        return f"{type(self).__name__} has {self.wheels} wheels"

class Bike(Vehicle):
    @property
    def wheels(self):
        return 2

class Car(Vehicle):
    wheels = 4

(Bike().describe(), Car().describe(), sorted(Vehicle.__abstractmethods__))
# --- abc
from abc import ABC, abstractmethod
import collections.abc

class Drawable(ABC):
    @abstractmethod
    def draw(self):
        ...

class Text:
    def draw(self):
        return "text"

Drawable.register(Text)

class Bag:
    def __init__(self):
        self.items = []

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __contains__(self, item):
        return item in self.items

(isinstance(Text(), Drawable), issubclass(Text, Drawable), Text in Drawable.__subclasses__(), isinstance(Bag(), collections.abc.Sized), isinstance(Bag(), collections.abc.Iterable), isinstance(Bag(), collections.abc.Collection), isinstance(Bag(), collections.abc.Sequence))
# --- abc
from abc import ABC, abstractmethod

class Exporter(ABC):
    def export(self, rows):
        return self.header() + [self.format_row(r) for r in rows]

    def header(self):
        return []

    @abstractmethod
    def format_row(self, row):
        ...

class Csv(Exporter):
    def header(self):
        return ["name,qty"]

    def format_row(self, row):
        return ",".join(str(v) for v in row)

class Tsv(Csv):
    def format_row(self, row):
        return super().format_row(row).replace(",", "\t")

rows = [("tea", 2), ("cake", 1)]
(Csv().export(rows), Tsv().export(rows))
# --- abc metaclass
from abc import ABCMeta, abstractmethod

class Plugin(metaclass=ABCMeta):
    @classmethod
    @abstractmethod
    def name(cls):
        ...

    @staticmethod
    @abstractmethod
    def version():
        ...

class Good(Plugin):
    @classmethod
    def name(cls):
        return cls.__name__.lower()

    @staticmethod
    def version():
        return 2

(Good.name(), Good().version(), sorted(Plugin.__abstractmethods__), type(Plugin).__name__)
# --- namedtuple
from typing import NamedTuple

class Employee(NamedTuple):
    name: str
    dept: str = "eng"
    salary: int = 100

    def raise_by(self, pct):
        return self._replace(salary=self.salary * (100 + pct) // 100)

e = Employee("ada")
(e, e.raise_by(10), e._asdict(), Employee._fields, Employee._field_defaults, tuple(e), e[0], e == ("ada", "eng", 100))
# --- namedtuple error
from typing import NamedTuple

class Point(NamedTuple):
    x: int
    y: int

p = Point(1, 2)
p.x = 3
p
# --- namedtuple
from typing import NamedTuple

class Card(NamedTuple):
    rank: int
    suit: str

    @property
    def label(self):
        names = {11: "J", 12: "Q", 13: "K", 14: "A"}
        return names.get(self.rank, str(self.rank)) + self.suit

    def __str__(self):
        return self.label

hand = [Card(14, "S"), Card(10, "H"), Card(12, "S"), Card(10, "C")]
best = max(hand)
rank, suit = best
([c.label for c in sorted(hand)], str(best), rank, suit, Card._make([2, "D"]), len(hand[0]), hand.count(Card(10, "H")))
# --- namedtuple
from collections import namedtuple

Point = namedtuple("Point", ["x", "y"])

class Point3(namedtuple("Point3", "x y z")):
    __slots__ = ()

    @property
    def norm(self):
        return (self.x ** 2 + self.y ** 2 + self.z ** 2) ** 0.5

    def __add__(self, other):
        return Point3(*(a + b for a, b in zip(self, other)))

(Point(1, 2), Point(y=5, x=0), Point3(1, 2, 2).norm, Point3(1, 1, 1) + Point3(0, 1, 2), Point._fields, hasattr(Point3(0, 0, 0), "__dict__"))
# --- namedtuple error
from typing import NamedTuple

class Row(NamedTuple):
    key: str = ""
    value: int

Row("a", 1)
# --- typeddict
from typing import TypedDict

class Movie(TypedDict):
    title: str
    year: int

class MovieExtra(Movie, total=False):
    rating: float

m = Movie(title="Blade Runner", year=1982)
m2 = MovieExtra(title="Alien", year=1979)
m2["rating"] = 8.5
(m, m2, type(m) is dict, list(MovieExtra.__annotations__), MovieExtra.__total__, sorted(MovieExtra.__required_keys__), sorted(MovieExtra.__optional_keys__))
# --- typeddict error
from typing import TypedDict

class Point(TypedDict):
    x: int
    y: int

p = Point(x=1, y=2)
isinstance(p, Point)
# --- decorator functools function-attributes qualname
import functools

calls = []

def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        calls.append((func.__name__, args, kwargs))
        return func(*args, **kwargs)
    return wrapper

@logged
def add(a, b=0):
    """Add two numbers."""
    return a + b

(add(1, 2), add(5, b=6), calls, add.__name__, add.__doc__, add.__wrapped__(10), add.__qualname__, len(calls), add.__wrapped__.__defaults__)
# --- decorator exception-chaining
def retry(times, exceptions=(ValueError,)):
    def decorate(func):
        def wrapper(*args):
            last = None
            for attempt in range(1, times + 1):
                try:
                    return func(attempt, *args)
                except exceptions as e:
                    last = e
            raise RuntimeError(f"gave up after {times} attempts") from last
        return wrapper
    return decorate

@retry(3)
def flaky(attempt, goal):
    if attempt < goal:
        raise ValueError(f"attempt {attempt} failed")
    return f"ok on attempt {attempt}"

results = [flaky(2)]
try:
    flaky(5)
except RuntimeError as e:
    results.append((str(e), str(e.__cause__), e.__suppress_context__, e.__context__))
results
# --- decorator
order = []

def tag(name):
    order.append("make " + name)
    def deco(func):
        order.append("apply " + name)
        def wrapper():
            return f"<{name}>{func()}</{name}>"
        return wrapper
    return deco

@tag("b")
@tag("i")
def hello():
    return "hi"

order.append("defined")
(hello(), order)
# --- decorator
COMMANDS = {}

def command(name=None):
    def register(func):
        COMMANDS[name or func.__name__] = func
        return func
    return register

@command()
def greet(who):
    return "hello " + who

@command("bye")
def farewell(who):
    return "goodbye " + who

def dispatch(line):
    cmd, _, arg = line.partition(" ")
    handler = COMMANDS.get(cmd)
    if handler is None:
        return f"unknown command {cmd!r}"
    return handler(arg)

([dispatch(l) for l in ["greet ada", "bye bob", "jump x"]], sorted(COMMANDS), farewell("cy"), COMMANDS["bye"] is farewell)
# --- decorator functools
import functools

@functools.lru_cache(maxsize=None)
def fib(k):
    if k < 2:
        return k
    return fib(k - 1) + fib(k - 2)

(fib(80), fib.cache_info(), fib.__name__, fib.__wrapped__(10))
# --- decorator functools
import functools

calls = []

@functools.lru_cache(maxsize=2)
def square(v):
    calls.append(v)
    return v * v

results = [square(v) for v in [1, 2, 1, 3, 1, 2]]
info = square.cache_info()
square.cache_clear()
(results, calls, info.hits, info.misses, square.cache_info().currsize)
# --- decorator function-attributes
def memoize(func):
    cache = {}
    def wrapper(*args):
        if args not in cache:
            cache[args] = func(*args)
        return cache[args]
    wrapper.cache = cache
    return wrapper

@memoize
def ways(total, coins):
    if total == 0:
        return 1
    if total < 0 or not coins:
        return 0
    return ways(total - coins[0], coins) + ways(total, coins[1:])

(ways(100, (50, 25, 10, 5, 1)), len(ways.cache) > 100, ways.__name__, ways.cache[(0, (1,))])
# --- decorator functools
import functools

@functools.cache
def collatz_steps(k):
    if k == 1:
        return 0
    return 1 + collatz_steps(k // 2 if k % 2 == 0 else 3 * k + 1)

(collatz_steps(27), collatz_steps.cache_info().currsize > 100, max(range(1, 30), key=collatz_steps))
# --- decorator functools class
import functools

class CountCalls:
    def __init__(self, func):
        functools.update_wrapper(self, func)
        self.func = func
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1
        return self.func(*args, **kwargs)

@CountCalls
def square(v):
    """Square a number."""
    return v * v

([square(i) for i in range(4)], square.count, square.__name__, square.__doc__, square.__wrapped__(9))
# --- decorator
handlers = {}

class Button:
    def __init__(self, name):
        self.name = name

    def on_click(self, func):
        handlers[self.name] = func
        return func

buttons = [Button("ok"), Button("cancel")]

@buttons[0].on_click
def ok_clicked():
    return "saved"

@buttons[1].on_click
def cancel_clicked():
    return "discarded"

sorted((k, v()) for k, v in handlers.items())
# --- decorator
def call(func):
    return func()

@call
def config():
    return {"debug": True, "level": 2}

@len
@str
@call
def answer():
    return 12345

(config, answer)
# --- decorator functools annotation
import functools

def checked(func):
    hints = func.__annotations__
    @functools.wraps(func)
    def wrapper(**kwargs):
        for name, value in kwargs.items():
            expected = hints.get(name)
            if expected is not None and not isinstance(value, expected):
                raise TypeError(f"{name} must be {expected.__name__}, not {type(value).__name__}")
        return func(**kwargs)
    return wrapper

@checked
def make_user(*, name: str, age: int = 0) -> dict:
    return {"name": name, "age": age}

results = [make_user(name="ada", age=36)]
try:
    make_user(name="bob", age="old")
except TypeError as e:
    results.append(str(e))
(results, make_user.__annotations__, make_user.__wrapped__.__kwdefaults__)
# --- decorator functools annotation
from functools import singledispatch

@singledispatch
def describe(obj):
    return "object"

@describe.register
def _(obj: int):
    return f"int {obj}"

@describe.register(list)
def _(obj):
    return f"list of {len(obj)}"

[describe(v) for v in [1, [1, 2], "s", True, 2.5]]
# --- decorator class classmethod functools qualname
import functools

def audited(method):
    @functools.wraps(method)
    def wrapper(self, *args):
        self.audit.append(method.__name__)
        return method(self, *args)
    return wrapper

class Store:
    def __init__(self):
        self.audit = []
        self.items = {}

    @audited
    def put(self, key, value):
        self.items[key] = value

    @audited
    def get(self, key):
        return self.items.get(key)

    @classmethod
    @functools.lru_cache(maxsize=None)
    def schema(cls):
        return cls.__name__ + ".v1"

s2 = Store()
s2.put("a", 1)
s2.get("a")
s2.get("b")
(s2.audit, Store.put.__qualname__, Store.get.__name__, Store.schema(), Store.schema())
# --- decorator function-attributes qualname
def counted(func):
    def wrapper(*args):
        wrapper.calls += 1
        return func(*args)
    wrapper.calls = 0
    wrapper.__name__ = func.__name__
    return wrapper

@counted
def double(v):
    return v * 2

[double(i) for i in range(5)]
(double.calls, double.__name__, double.__qualname__, sorted(double.__dict__))
# --- decorator error
def require_positive(func):
    def wrapper(value):
        if value <= 0:
            raise ValueError(f"{func.__name__} needs a positive value, got {value}")
        return func(value)
    return wrapper

@require_positive
def sqrt(value):
    return value ** 0.5

(sqrt(16), sqrt(-4))
# --- decorator error
def broken(func):
    pass

@broken
def compute():
    return 1

compute()
# --- decorator scope
def make_rate_limiter(limit):
    def decorator(func):
        used = 0
        def wrapper(*args):
            nonlocal used
            if used >= limit:
                return "rate limited"
            used += 1
            return func(*args)
        return wrapper
    return decorator

@make_rate_limiter(2)
def ping(host):
    return "pong from " + host

[ping("a"), ping("b"), ping("c")]
# --- scope
def make_counter(start=0):
    count = start
    def increment(step=1):
        nonlocal count
        count += step
        return count
    def reset():
        nonlocal count
        count = start
    increment.reset = reset
    return increment

c1 = make_counter()
c2 = make_counter(100)
a = [c1(), c1(), c2(5), c1(10)]
c1.reset()
(a, c1(), c2())
# --- scope
counter = 0

def bump():
    global counter
    counter += 1
    return counter

for _ in range(3):
    bump()
(counter, bump(), counter)
# --- scope
def configure(debug):
    global SETTINGS
    SETTINGS = {"debug": debug}

configure(True)
SETTINGS
# --- scope
value = "global"

def outer():
    value = "outer"
    def inner():
        global value
        value = "changed by inner"
        return value
    r = inner()
    return (r, value)

(outer(), value)
# --- scope error
total = 10

def add_to_total(k):
    total += k
    return total

add_to_total(5)
# --- scope error
def make():
    def get():
        return value
    first = get()
    value = 1
    return first

make()
# --- scope error
def make_accumulator():
    def add(k):
        nonlocal total
        total += k
        return total
    result = add(1)
    total = 0
    return result

make_accumulator()
# --- scope
funcs = []
for i in range(3):
    def f():
        return i
    funcs.append(f)
bound = []
for i in range(3):
    def g(i=i):
        return i
    bound.append(g)
i = 10
([f() for f in funcs], [g() for g in bound])
# --- scope
def outer():
    log = []
    level = 0
    def middle():
        def inner():
            nonlocal level
            level += 1
            log.append(level)
        inner()
        inner()
        return level
    return middle(), level, log

outer()
# --- scope class
instances = 0

class Tracked:
    def __init__(self):
        global instances
        instances += 1
        self.number = instances

made = [Tracked() for _ in range(3)]
([t.number for t in made], instances)
# --- scope error
def read_setting():
    global later_setting
    return later_setting

read_setting()
# --- scope
def bank_account(balance):
    def deposit(amount):
        nonlocal balance
        balance += amount
        return balance
    def withdraw(amount):
        nonlocal balance
        if amount > balance:
            raise ValueError("insufficient funds")
        balance -= amount
        return balance
    def get():
        return balance
    return deposit, withdraw, get

deposit, withdraw, get = bank_account(50)
deposit(25)
results = [withdraw(70)]
try:
    withdraw(10)
except ValueError as e:
    results.append(str(e))
(results, get())
# --- scope
def make_fib():
    a, b = 0, 1
    def step():
        nonlocal a, b
        a, b = b, a + b
        return a
    return step

step = make_fib()
[step() for _ in range(10)]
# --- scope
x_total = 0
y_total = 0

def record(dx, dy):
    global x_total, y_total
    x_total += dx
    y_total += dy

for move in [(1, 2), (3, -1), (-2, 5)]:
    record(*move)
(x_total, y_total)
# --- scope
def outer():
    name = "outer"
    def shadow():
        name = "local"
        return name
    def change():
        nonlocal name
        name = "changed"
    before = shadow()
    change()
    return before, name, shadow()

outer()
# --- scope
tally = {"calls": 0}

def touch():
    tally["calls"] += 1
    return tally

def rebind():
    tally = {"calls": -1}
    return tally

touch()
touch()
(rebind(), tally)
# --- scope
def make_multipliers():
    return [lambda v, k=k: v * k for k in range(1, 4)]

def make_late():
    return [lambda v: v * k for k in range(1, 4)]

([m(10) for m in make_multipliers()], [m(10) for m in make_late()])
# --- scope error
def counter():
    count = 0
    def inc():
        count += 1
        return count
    return inc

counter()()
# --- annotation
count: int = 3
ratio: float
names: list = ["a"]
count += 1
try:
    ratio
    missing = None
except NameError as e:
    missing = str(e)
(count, names, missing)
# --- annotation function-attributes
def scale(values: list, factor: float = 2.0, *, clip: int = 0) -> list:
    return [min(v * factor, clip) if clip else v * factor for v in values]

def plain(a, b=1):
    return a

(scale([1, 2], clip=3), scale.__annotations__, plain.__annotations__)
# --- annotation class
class Config:
    host: str = "localhost"
    port: int = 8080
    debug: bool

class Child(Config):
    timeout: float = 1.5

(Config.__annotations__, Config.host, hasattr(Config, "debug"), Child.__annotations__, Child.port)
# --- annotation
log = []

def note(label):
    log.append(label)
    return label

def f(a: note("a"), b: note("b") = note("default b"), *args: note("args"), c: note("c") = note("default c"), **kw: note("kw")) -> note("return"):
    pass

log.append("defined")
(log, f.__annotations__)
# --- annotation
def f():
    result: UndefinedType = 5
    other: "also undefined"
    return result

def g(a: list[int], b: dict[str, tuple[int, ...]]) -> None:
    return None

(f(), g.__annotations__)
# --- annotation error
value = 1

def g():
    value: int
    return value

g()
# --- annotation error
class Bad:
    field: Undefined = 1

Bad.field
# --- annotation class
class Point:
    def __init__(self, x: float, y: float) -> None:
        self.x: float = x
        self.y: float = y
        self.tags: list = []

class Registry:
    items: dict = {}
    items["a"]: int = 1
    count: int = len(items)

p = Point(1.5, 2)
(vars(p), Point.__init__.__annotations__, Registry.items, Registry.count, Registry.__annotations__)
# --- annotation
from typing import Optional, List, Dict

def lookup(table: Dict[str, int], key: str, default: Optional[int] = None) -> Optional[int]:
    return table.get(key, default)

def total(values: List[int]) -> int:
    return sum(values)

(lookup({"a": 1}, "a"), lookup({}, "b"), total([1, 2, 3]), [repr(v) for v in lookup.__annotations__.values()], total.__annotations__["values"] == List[int])
# --- annotation
import dataclasses
from typing import ClassVar, List

@dataclasses.dataclass
class Team:
    name: str
    members: List[str] = dataclasses.field(default_factory=list)
    max_size: ClassVar[int] = 5

    def add(self, member: str) -> bool:
        if len(self.members) >= self.max_size:
            return False
        self.members.append(member)
        return True

t = Team("core")
added = [t.add(m) for m in "abcdefg"]
(t, added, list(Team.__annotations__), [f.name for f in dataclasses.fields(Team)])
# --- function-attributes
def area(width, height=1, *, unit="m", precise=False):
    """Area of a rectangle."""
    return width * height

def bare(a, *, b):
    pass

(area.__name__, area.__doc__, area.__defaults__, area.__kwdefaults__, bare.__defaults__, bare.__kwdefaults__, bare.__doc__, area.__qualname__)
# --- function-attributes
def handler(event):
    handler.seen.append(event)
    return len(handler.seen)

handler.seen = []
handler.priority = 5
handler("a")
handler("b")
(handler.__dict__, sorted(vars(handler)), getattr(handler, "missing", None), hasattr(handler, "priority"))
# --- function-attributes error
def handler(event):
    return event

handler.priority = 1
del handler.priority
handler.priority
# --- function-attributes scope
def make_line(slope, intercept):
    unused = "not captured"
    def line(v):
        return slope * v + intercept
    return line

def make_greeting(word):
    def greet(who):
        return f"{word}, {who}"
    return greet

def plain(v):
    return v

ln = make_line(2, 1)
(ln(3), [c.cell_contents for c in ln.__closure__], make_greeting("hi").__closure__[0].cell_contents, plain.__closure__, type(ln.__closure__).__name__, len(ln.__closure__))
# --- function-attributes scope
def make(zeta, alpha, mid):
    def inner():
        return (zeta, alpha, mid)
    return inner

f = make("z", "a", "m")
[c.cell_contents for c in f.__closure__]
# --- function-attributes scope
def pair():
    shared = []
    def add(v):
        shared.append(v)
    def get():
        return shared
    return add, get

add, get = pair()
add(1)
add(2)
(get(), add.__closure__[0].cell_contents is get.__closure__[0].cell_contents, add.__closure__[0] is get.__closure__[0])
# --- function-attributes scope error
def outer():
    def inner():
        return later
    cells = inner.__closure__
    contents = cells[0].cell_contents
    later = 1
    return contents

outer()
# --- function-attributes scope
def counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc

inc = counter()
inc()
inc()
cell = inc.__closure__[0]
before = cell.cell_contents
cell.cell_contents = 100
(before, inc(), cell.cell_contents)
# --- function-attributes
def append_to(item, bucket=[]):
    bucket.append(item)
    return bucket

append_to(1)
append_to(2)
(append_to.__defaults__, append_to(3) is append_to.__defaults__[0])
# --- function-attributes
def greet(name="world", *, punct="!"):
    return "hello " + name + punct

greet.__defaults__ = ("there",)
greet.__kwdefaults__ = {"punct": "?"}
(greet(), greet.__defaults__, greet("you", punct="."), greet.__kwdefaults__)
# --- function-attributes docstring
class Widget:
    """A widget."""

    def show(self):
        "Show it."
        return 1

    def hide(self):
        return 0

def not_doc():
    v = 1
    "not a docstring"
    return v

def numbered():
    """Docstring with "quotes" and a tab\there."""

(Widget.__doc__, Widget.show.__doc__, Widget.hide.__doc__, not_doc.__doc__, Widget().show.__doc__, numbered.__doc__, numbered())
# --- function-attributes docstring
def summary(values):
    """Summarize values.

    Returns the count and the sum.
    """
    return (len(values), sum(values))

(summary([1, 2]), summary.__doc__.splitlines()[0], summary.__doc__.split())
# --- function-attributes docstring
def documented():
    """Return the answer.

    The answer is
        always 42.
    """
    return 42

documented.__doc__
# --- function-attributes qualname
def original():
    return "original"

renamed = original
renamed.__name__ = "renamed"
alias = lambda: 0

(original.__name__, original.__qualname__, renamed is original, alias.__name__, alias.__qualname__, alias.__doc__, alias.__defaults__)
# --- function-attributes class qualname
class Service:
    def start(self):
        return "started"

    @staticmethod
    def version():
        return 1

    @classmethod
    def build(cls):
        return cls()

    @property
    def status(self):
        return "ok"

(Service.start.__qualname__, Service.version.__qualname__, Service.build.__qualname__, Service.status.fget.__qualname__, Service().start.__name__, Service.build.__func__.__name__, Service().start.__self__.status)
# --- function-attributes qualname
def outer():
    def helper(a, b=2):
        "Help."
        return a + b
    return helper

h = outer()
(h.__name__, h.__qualname__, h.__defaults__, h.__doc__, h(1), h.__module__)
# --- function-attributes class
class Greeter:
    def __init__(self, name):
        self.name = name

    def greet(self):
        return "hi " + self.name

g = Greeter("ada")
m = g.greet
(m(), m.__self__ is g, m.__func__ is Greeter.greet, m.__name__, Greeter.greet(g), Greeter.__module__, Greeter.__name__)
# --- exception-chaining
def parse(text):
    try:
        return int(text)
    except ValueError:
        raise KeyError(text)

try:
    parse("abc")
except KeyError as e:
    info = (type(e.__context__).__name__, str(e.__context__), e.__cause__, e.__suppress_context__)
info
# --- exception-chaining class
class ConfigError(Exception):
    pass

def load(cfg, key):
    try:
        return cfg[key]
    except KeyError as exc:
        raise ConfigError(f"missing {key}") from exc

try:
    load({}, "port")
except ConfigError as e:
    err = e
(str(err), type(err.__cause__).__name__, err.__cause__ is err.__context__, err.__suppress_context__, load({"port": 80}, "port"))
# --- exception-chaining
def lookup(table, key):
    try:
        return table[key]
    except KeyError:
        raise LookupError(f"no entry for {key!r}") from None

try:
    lookup({}, "x")
except LookupError as e:
    err = e
(str(err), err.__cause__, err.__suppress_context__, repr(err.__context__))
# --- exception-chaining
try:
    try:
        {}["k"]
    finally:
        raise RuntimeError("cleanup failed")
except RuntimeError as e:
    r = (str(e), repr(e.__context__))
r
# --- exception-chaining
try:
    try:
        value = 1
    finally:
        raise RuntimeError("always")
except RuntimeError as e:
    r = (str(e), e.__context__, value)
r
# --- exception-chaining
def chain():
    try:
        1 / 0
    except ZeroDivisionError:
        try:
            [][1]
        except IndexError:
            raise ValueError("final")

try:
    chain()
except ValueError as e:
    names = []
    cur = e
    while cur is not None:
        names.append(type(cur).__name__)
        cur = cur.__context__
names
# --- exception-chaining
import sys

def handler():
    try:
        raise LookupError("missing")
    except LookupError:
        kind, value, tb = sys.exc_info()
        inner = (kind.__name__, str(value), tb is not None, sys.exc_info()[1] is value)
    return inner, sys.exc_info()

handler()
# --- exception-chaining
import sys

seen = []
try:
    raise KeyError("outer")
except KeyError:
    try:
        raise ValueError("inner")
    except ValueError:
        seen.append(sys.exc_info()[0].__name__)
    seen.append(sys.exc_info()[0].__name__)
    seen.append(repr(sys.exc_info()[1]))
seen.append(sys.exc_info())
seen
# --- exception-chaining
try:
    try:
        raise ValueError("v")
    except ValueError as e:
        raise e
except ValueError as e2:
    r = (e2.__context__, str(e2))
r
# --- exception-chaining
def fail():
    raise RuntimeError("in helper")

try:
    try:
        raise KeyError("first")
    except KeyError:
        fail()
except RuntimeError as e:
    ctx = e.__context__
(repr(ctx), ctx.__context__)
# --- exception-chaining
try:
    raise KeyError("a")
except KeyError:
    pass
try:
    raise ValueError("b")
except ValueError as e:
    r = e.__context__
r
# --- exception-chaining error
def wrap(data):
    try:
        return data["a"]
    except KeyError:
        raise ValueError("wrapped") from 42

wrap({})
# --- exception-chaining
cause = OSError("disk full")
try:
    raise RuntimeError("save failed") from cause
except RuntimeError as e:
    r = (e.__cause__ is cause, e.__context__, e.__suppress_context__, e.__cause__.__traceback__ is None)
r
# --- exception-chaining class protocol
class Resource:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.log.append(f"closing after {exc_type.__name__}")
        raise OSError("close failed")

log = []
try:
    with Resource(log):
        raise ValueError("work failed")
except OSError as e:
    r = (str(e), repr(e.__context__), log)
r
# --- exception-chaining
def risky(step):
    if step == 2:
        raise ValueError(f"step {step} broke")
    return step

errors = []
for step in range(4):
    try:
        risky(step)
    except ValueError as e:
        try:
            raise RuntimeError("recovery failed") from e
        except RuntimeError as inner:
            errors.append((str(inner), str(inner.__cause__), inner.__context__ is e))
errors
# --- exception-chaining error
def convert(text):
    try:
        return float(text)
    except ValueError as e:
        raise TypeError(f"cannot convert {text!r}") from e

convert("1.5") + convert("one")
# --- exception-chaining
try:
    try:
        raise KeyError("original")
    except KeyError as e:
        err = e
        raise
except KeyError as again:
    r = (again is err, again.__context__, repr(again))
r
# --- exception-chaining
def cleanup_log():
    log = []
    try:
        try:
            raise ValueError("primary")
        except ValueError:
            log.append("handling")
            raise
        finally:
            log.append("finally")
    except ValueError as e:
        log.append(str(e))
    return log

cleanup_log()
# --- exception-chaining
import sys

def current():
    return sys.exc_info()[0]

def inspect_handler():
    try:
        raise IndexError("i")
    except IndexError:
        return current().__name__

(inspect_handler(), current())
# --- exception-chaining class
class AppError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.code = code

    def __str__(self):
        return f"[{self.code}] {self.args[0]}"

def fetch(url):
    try:
        raise ConnectionError("timeout")
    except ConnectionError as e:
        raise AppError(f"could not fetch {url}", 503) from e

try:
    fetch("/data")
except AppError as e:
    r = (str(e), e.code, repr(e.__cause__), e.args)
r
# --- class mangling
class Account:
    def __init__(self, pin):
        self.__pin = pin
        self._attempts = 0

    def __check(self, pin):
        self._attempts += 1
        return pin == self.__pin

    def unlock(self, pin):
        return self.__check(pin)

class Joint(Account):
    def __init__(self, pin, second_pin):
        super().__init__(pin)
        self.__pin = second_pin

    def unlock(self, pin):
        return super().unlock(pin) or pin == self.__pin

j = Joint(1111, 2222)
(j.unlock(2222), j.unlock(1111), j.unlock(3333), j._attempts, sorted(vars(j)), hasattr(j, "__pin"), j._Account__pin)
# --- class mangling error
class Safe:
    def __init__(self):
        self.__code = 42

Safe().__code
# --- class mangling class-body
class Version:
    __major = 3
    __minor = 11
    label = f"{__major}.{__minor}"

    def bump(self):
        return self.__minor + 1

(Version.label, Version().bump(), sorted(k for k in vars(Version) if "major" in k or "minor" in k))
# --- class class-body
class Compat:
    try:
        import json as codec
    except ImportError:
        codec = None
    name = codec.__name__
    dumped = codec.dumps({"a": [1, 2]})

(Compat.name, Compat.dumped, Compat.codec.loads("[3]"))
# --- class class-body error
class Circle:
    pi = 3.14159

    def area(self, r):
        return pi * r * r

Circle().area(2)
# --- class class-body scope
created = []

class Registry:
    global created_count
    created_count = 1
    created.append("Registry")
    items = []

(created, created_count, hasattr(Registry, "created_count"), Registry.items)
# --- class
class Greeter:
    def __init__(self, name):
        self.name = name

def shout(self, suffix="!"):
    return self.name.upper() + suffix

Greeter.shout = shout
g = Greeter("ada")
g.whisper = lambda: "psst"
(g.shout(), g.shout("?"), Greeter.shout is shout, g.whisper(), g.shout.__func__ is shout, g.greet if hasattr(g, "greet") else "no greet")
# --- class protocol error
class Team:
    def __init__(self, members):
        self.members = members

    def __iter__(self):
        return self.members

list(Team(["a", "b"]))
# --- class protocol error
class Flag:
    def __init__(self, on):
        self.on = on

    def __bool__(self):
        return 1 if self.on else 0

"yes" if Flag(True) else "no"
# --- class protocol error
class Broken:
    def __repr__(self):
        return 42

repr(Broken())
# --- class protocol
class Tag:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"

t = Tag("b")
(str(t), repr(t), f"{t}", [t], "%s" % t, format(t, ""), str([t, t]))
# --- class protocol error
class Service:
    pass

Service()()
# --- class property error
class Circle:
    def __init__(self, radius):
        self.radius = radius

    @property
    def area(self):
        return 3.14159 * self.raduis ** 2

Circle(1).area
# --- class dataclass enum
from dataclasses import dataclass, field
from enum import Enum

class Status(Enum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"

@dataclass
class Card:
    title: str
    status: Status = Status.TODO
    history: list = field(default_factory=list)

    def move(self, status):
        if status is self.status:
            raise ValueError(f"{self.title} is already {status.value}")
        self.history.append((self.status.value, status.value))
        self.status = status
        return self

class Board:
    def __init__(self):
        self.cards = {}

    def add(self, title):
        self.cards[title] = Card(title)
        return self.cards[title]

    def column(self, status):
        return sorted(c.title for c in self.cards.values() if c.status is status)

board = Board()
board.add("write").move(Status.DOING).move(Status.DONE)
board.add("test").move(Status.DOING)
board.add("ship")
errors = []
try:
    board.cards["ship"].move(Status.TODO)
except ValueError as e:
    errors.append(str(e))
([board.column(st) for st in Status], board.cards["write"].history, errors, board.cards["test"])
# --- class protocol
class Polynomial:
    def __init__(self, *coeffs):
        self.coeffs = list(coeffs)
        while len(self.coeffs) > 1 and self.coeffs[-1] == 0:
            self.coeffs.pop()

    def __call__(self, v):
        return sum(c * v ** i for i, c in enumerate(self.coeffs))

    def __add__(self, other):
        size = max(len(self.coeffs), len(other.coeffs))
        a = self.coeffs + [0] * (size - len(self.coeffs))
        b = other.coeffs + [0] * (size - len(other.coeffs))
        return Polynomial(*[p + q for p, q in zip(a, b)])

    def __mul__(self, other):
        out = [0] * (len(self.coeffs) + len(other.coeffs) - 1)
        for i, a in enumerate(self.coeffs):
            for j, b in enumerate(other.coeffs):
                out[i + j] += a * b
        return Polynomial(*out)

    def __eq__(self, other):
        return self.coeffs == other.coeffs

    def __len__(self):
        return len(self.coeffs)

    def __repr__(self):
        terms = []
        for i, c in reversed(list(enumerate(self.coeffs))):
            if c:
                terms.append(f"{c}" + ("" if i == 0 else "x" if i == 1 else f"x^{i}"))
        return " + ".join(terms) or "0"

p = Polynomial(1, 1)
q = Polynomial(-1, 0, 2)
(p * p, p + q, (p * q)(2), len(p * q), p + Polynomial(-1, -1), p * p == Polynomial(1, 2, 1))
# --- class docstring
class Shape:
    """A shape.

        Indented more.
    Back.
    """

    def area(self):
        """Area.
            Nested."""
        return 0

(Shape.__doc__, Shape.area.__doc__, Shape().area())
# --- class protocol
class Cart:
    def __init__(self):
        self.lines = {}

    def add(self, sku, price, qty=1):
        old_price, old_qty = self.lines.get(sku, (price, 0))
        self.lines[sku] = (price, old_qty + qty)
        return self

    def __len__(self):
        return sum(qty for _, qty in self.lines.values())

    def __contains__(self, sku):
        return sku in self.lines

    def __iter__(self):
        return iter(sorted(self.lines))

    def __bool__(self):
        return bool(self.lines)

    def total(self, discount=0.0):
        gross = sum(price * qty for price, qty in self.lines.values())
        return round(gross * (1 - discount), 2)

    def __repr__(self):
        return f"Cart({len(self)} items, {self.total():.2f})"

cart = Cart().add("apple", 0.5, 6).add("bread", 2.25).add("apple", 0.5, 2)
empty = Cart()
(len(cart), "apple" in cart, "milk" in cart, list(cart), cart.total(), cart.total(0.1), repr(cart), bool(empty), [c for c in empty])
# --- dataclass
from dataclasses import dataclass, field, asdict, replace

@dataclass
class Product:
    name: str
    unit_price: float
    quantity: int = 0
    tags: list = field(default_factory=list)

    def __post_init__(self):
        self.name = self.name.strip().title()
        if self.quantity < 0:
            raise ValueError(f"negative stock for {self.name}")

    @property
    def value(self):
        return self.unit_price * self.quantity

@dataclass
class Inventory:
    products: list = field(default_factory=list)

    def add(self, product):
        self.products.append(product)

    def low_stock(self, threshold=5):
        return [p.name for p in self.products if p.quantity < threshold]

inv = Inventory()
inv.add(Product("  widget ", 2.5, 10, ["metal"]))
inv.add(Product("gadget", 10.0, 3))
restocked = replace(inv.products[1], quantity=20)
try:
    Product("ghost", 1.0, -1)
    problem = None
except ValueError as e:
    problem = str(e)
(inv.low_stock(), sum(p.value for p in inv.products), restocked, restocked.tags is inv.products[1].tags, asdict(inv), problem)
# --- decorator
handlers = {}

def on(event, priority=0):
    def register(func):
        handlers.setdefault(event, []).append((priority, func))
        return func
    return register

@on("login")
def greet(user):
    return f"welcome {user}"

@on("login", priority=10)
def audit(user):
    return f"audit {user}"

@on("logout")
def bye(user):
    return f"bye {user}"

def emit(event, user):
    ordered = sorted(handlers.get(event, []), key=lambda pair: -pair[0])
    return [func(user) for _, func in ordered]

(emit("login", "ada"), emit("logout", "bob"), emit("reset", "cy"), sorted(handlers), greet("direct"))
# --- class init-subclass
class Exporter:
    registry = {}

    def __init_subclass__(cls, fmt=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if fmt is not None:
            Exporter.registry[fmt] = cls
        cls.fmt = fmt

    def export(self, rows):
        raise NotImplementedError

class CsvExporter(Exporter, fmt="csv"):
    def export(self, rows):
        return "\n".join(",".join(map(str, r)) for r in rows)

class JsonExporter(Exporter, fmt="json"):
    def export(self, rows):
        return str([list(r) for r in rows])

class BaseTextExporter(Exporter):
    pass

def export(fmt, rows):
    try:
        cls = Exporter.registry[fmt]
    except KeyError:
        return f"no exporter for {fmt}"
    return cls().export(rows)

rows = [(1, "a"), (2, "b")]
(sorted(Exporter.registry), export("csv", rows), export("json", rows), export("xml", rows), BaseTextExporter.fmt, CsvExporter.fmt)
# --- class set-name descriptor
class Bounded:
    def __init__(self, low, high):
        self.low = low
        self.high = high

    def __set_name__(self, owner, name):
        self.public = name
        self.private = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.private)

    def __set__(self, obj, value):
        if not self.low <= value <= self.high:
            raise ValueError(f"{self.public} must be in [{self.low}, {self.high}], got {value}")
        setattr(obj, self.private, value)

class Pixel:
    red = Bounded(0, 255)
    green = Bounded(0, 255)
    alpha = Bounded(0.0, 1.0)

    def __init__(self, red, green, alpha=1.0):
        self.red = red
        self.green = green
        self.alpha = alpha

p = Pixel(10, 200)
errors = []
for attr, value in [("red", 300), ("alpha", 0.5), ("green", -1)]:
    try:
        setattr(p, attr, value)
    except ValueError as e:
        errors.append(str(e))
(p.red, p.green, p.alpha, errors, sorted(vars(p)), Pixel.red.private, type(Pixel.alpha).__name__)
# --- enum
from enum import Enum

class Length(Enum):
    MM = 0.001
    CM = 0.01
    M = 1.0
    KM = 1000.0
    INCH = 0.0254

    def to(self, other, amount):
        return round(amount * self.value / other.value, 4)

    @classmethod
    def parse(cls, text):
        number, unit = text.split()
        return float(number), cls[unit.upper()]

amount, unit = Length.parse("12 inch")
(unit, unit.to(Length.CM, amount), Length.KM.to(Length.M, 2.5), [u.name for u in Length if u.value < 1], Length(1.0), Length.M is Length["M"])
# --- class protocol operators
class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    @classmethod
    def identity(cls, size):
        return cls([[1 if i == j else 0 for j in range(size)] for i in range(size)])

    def __add__(self, other):
        return Matrix([[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(self.rows, other.rows)])

    def __mul__(self, other):
        if isinstance(other, (int, float)):
            return Matrix([[v * other for v in row] for row in self.rows])
        if isinstance(other, Matrix):
            cols = list(zip(*other.rows))
            return Matrix([[sum(a * b for a, b in zip(row, col)) for col in cols] for row in self.rows])
        return NotImplemented

    def __rmul__(self, other):
        return self * other

    def __pow__(self, k):
        result = Matrix.identity(len(self.rows))
        for _ in range(k):
            result = result * self
        return result

    def __eq__(self, other):
        return isinstance(other, Matrix) and self.rows == other.rows

    def __repr__(self):
        return f"Matrix({self.rows})"

fib = Matrix([[1, 1], [1, 0]])
(fib ** 10, 2 * fib, fib * 0.5, fib + Matrix.identity(2), fib ** 0 == Matrix.identity(2), fib == [[1, 1], [1, 0]])
# --- decorator functools scope
from functools import lru_cache

def edit_distance(a, b):
    @lru_cache(maxsize=None)
    def d(i, j):
        if i == 0:
            return j
        if j == 0:
            return i
        cost = 0 if a[i - 1] == b[j - 1] else 1
        return min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + cost)
    result = d(len(a), len(b))
    return result, d.cache_info().currsize

pairs = [("kitten", "sitting"), ("flaw", "lawn"), ("", "abc"), ("same", "same")]
[edit_distance(a, b) for a, b in pairs]
# --- decorator functools exception-chaining
import functools

class TransientError(Exception):
    pass

def retry(times=3, on=(TransientError,)):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            last = None
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs), attempt
                except on as e:
                    last = e
            raise RuntimeError(f"{func.__name__} failed after {times} attempts") from last
        return wrapper
    return decorate

def flaky_source(fail_count):
    state = {"calls": 0}
    @retry(times=4)
    def fetch(key):
        """Fetch a key."""
        state["calls"] += 1
        if state["calls"] <= fail_count:
            raise TransientError(f"try {state['calls']}")
        return key.upper()
    return fetch

ok = flaky_source(2)("abc")
try:
    flaky_source(10)("abc")
except RuntimeError as e:
    failure = (str(e), str(e.__cause__), type(e.__cause__).__name__)
(ok, failure, flaky_source(0).__name__, flaky_source(0).__doc__, flaky_source(0).__wrapped__.__qualname__)
# --- enum exception-chaining
from enum import Enum, auto

class State(Enum):
    IDLE = auto()
    RUNNING = auto()
    PAUSED = auto()
    DONE = auto()

class InvalidTransition(Exception):
    pass

TRANSITIONS = {
    State.IDLE: {"start": State.RUNNING},
    State.RUNNING: {"pause": State.PAUSED, "finish": State.DONE},
    State.PAUSED: {"resume": State.RUNNING, "finish": State.DONE},
    State.DONE: {},
}

class Job:
    def __init__(self):
        self.state = State.IDLE
        self.trail = [self.state.name]

    def fire(self, event):
        try:
            self.state = TRANSITIONS[self.state][event]
        except KeyError:
            raise InvalidTransition(f"{event!r} not allowed in {self.state.name}") from None
        self.trail.append(self.state.name)

job = Job()
rejected = []
for event in ["start", "pause", "start", "resume", "finish", "pause"]:
    try:
        job.fire(event)
    except InvalidTransition as e:
        rejected.append((str(e), e.__suppress_context__, e.__cause__, type(e.__context__).__name__))
(job.state, job.trail, rejected, [st.value for st in State])
# --- class protocol slots
class _Node:
    __slots__ = ("value", "next")

    def __init__(self, value, next=None):
        self.value = value
        self.next = next

class LinkedListIterator:
    def __init__(self, head):
        self.current = head

    def __iter__(self):
        return self

    def __next__(self):
        if self.current is None:
            raise StopIteration
        value = self.current.value
        self.current = self.current.next
        return value

class LinkedList:
    def __init__(self, items=()):
        self.head = None
        for item in reversed(list(items)):
            self.head = _Node(item, self.head)

    def __iter__(self):
        return LinkedListIterator(self.head)

    def push(self, value):
        self.head = _Node(value, self.head)

ll = LinkedList(["b", "c", "d"])
ll.push("a")
it = iter(ll)
first_two = [next(it), next(it)]
(list(ll), first_two, list(it), list(it), next(it, "done"), "c" in ll, type(iter(ll)).__name__, iter(it) is it, sorted(ll, reverse=True))
# --- exception-chaining class
class BankError(Exception):
    pass

class AccountNotFound(BankError):
    def __init__(self, number):
        super().__init__(f"no account {number}")
        self.number = number

class TransferFailed(BankError):
    pass

class Bank:
    def __init__(self):
        self.accounts = {"A1": 100, "B2": 20}

    def withdraw(self, number, amount):
        try:
            balance = self.accounts[number]
        except KeyError as e:
            raise AccountNotFound(number) from e
        if balance < amount:
            raise BankError(f"{number} short by {amount - balance}")
        self.accounts[number] = balance - amount

    def transfer(self, src, dst, amount):
        try:
            self.withdraw(src, amount)
            if dst not in self.accounts:
                raise AccountNotFound(dst)
            self.accounts[dst] += amount
        except BankError as e:
            raise TransferFailed(f"{src}->{dst}: {e}") from e

bank = Bank()
log = []
for src, dst, amount in [("A1", "B2", 30), ("B2", "A1", 100), ("Z9", "A1", 1), ("A1", "Q7", 5)]:
    try:
        bank.transfer(src, dst, amount)
        log.append("ok")
    except TransferFailed as e:
        cause = e.__cause__
        log.append((str(e), type(cause).__name__, type(cause.__cause__).__name__, cause.args))
(bank.accounts, log)
# --- class protocol exception-chaining
class Suppress:
    def __init__(self, *kinds):
        self.kinds = kinds
        self.caught = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.kinds):
            self.caught.append(f"{exc_type.__name__}: {exc}")
            return True
        return False

guard = Suppress(KeyError, ZeroDivisionError)
results = []
for divisor in [2, 0, 5]:
    with guard as g:
        results.append(10 // divisor)
        results.append({"a": 1}["b" if divisor == 5 else "a"])
try:
    with guard:
        int("x1")
except ValueError as e:
    escaped = type(e).__name__
(results, guard.caught, g is guard, escaped)
# --- class class-body
class Player:
    level = 1
    badges = []
    roster = {}

    def __init__(self, name):
        self.name = name
        Player.roster[name] = self

    def level_up(self):
        self.level += 1

    def earn(self, badge):
        self.badges.append(badge)

ann = Player("ann")
bob = Player("bob")
ann.level_up()
ann.level_up()
before = ann.level
bob.earn("first-login")
Player.level = 5
carl = Player("carl")
del ann.level
(before, ann.level, bob.level, carl.level, ann.badges, carl.badges is Player.badges, sorted(Player.roster), "level" in vars(bob))
# --- class
class Shape:
    count = 0
    made = []

    def __init__(self):
        type(self).count += 1
        Shape.made.append(type(self).__name__)

class Circle(Shape):
    pass

class Square(Shape):
    count = 100

shapes = [Circle(), Square(), Circle(), Shape()]
(Shape.count, Circle.count, Square.count, Shape.made, "count" in Circle.__dict__)
# --- class qualname
class Library:
    class Book:
        class Meta:
            ordering = "title"

        def __init__(self, title):
            self.title = title

        def label(self):
            return f"{type(self).__qualname__}:{self.title}"

    def make(self, title):
        return self.Book(title)

def local_factory():
    class Temp:
        def method(self):
            pass
    return Temp

Temp = local_factory()
book = Library().make("Dune")
(Library.Book.__qualname__, Library.Book.Meta.__qualname__, Library.Book.label.__qualname__, book.label(), Temp.__qualname__, Temp.method.__qualname__, Temp.__name__, Library.Book.Meta.ordering, Library.Book.__module__)
# --- class scope
def make_validator(field_name, minimum, maximum):
    checked = []

    class Validator:
        label = f"{field_name}Validator"

        def __call__(self, value):
            checked.append(value)
            if value < minimum:
                return f"{field_name} too small"
            if value > maximum:
                return f"{field_name} too large"
            return "ok"

        def history(self):
            return list(checked)

    return Validator

AgeValidator = make_validator("age", 0, 130)
ScoreValidator = make_validator("score", 1, 10)
age, score = AgeValidator(), ScoreValidator()
results = [age(-1), age(40), score(11), score(5)]
other_age = AgeValidator()
(results, age.history(), other_age.history(), score.history(), AgeValidator.label, AgeValidator is ScoreValidator, AgeValidator.__qualname__)
# --- class class-decorator decorator super
def counted(cls):
    class Counted(cls):
        instances = 0

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            Counted.instances += 1

    Counted.__name__ = cls.__name__
    Counted.__qualname__ = cls.__qualname__
    return Counted

@counted
class Point:
    def __init__(self, px, py):
        self.px = px
        self.py = py

    def __repr__(self):
        return f"{type(self).__name__}({self.px}, {self.py})"

pts = [Point(1, 2), Point(3, 4)]
(pts, Point.instances, Point.__name__, [k.__name__ for k in Point.__mro__], isinstance(pts[0], Point.__mro__[1]))
# --- class super
class Component:
    def __init__(self, **kwargs):
        self.log = ["Component"]
        super().__init__(**kwargs)

class Named(Component):
    def __init__(self, name="?", **kwargs):
        super().__init__(**kwargs)
        self.name = name
        self.log.append("Named")

class Sized(Component):
    def __init__(self, size=0, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.log.append("Sized")

class Widget(Named, Sized):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.log.append("Widget")

    def describe(self):
        return f"{self.name}:{self.size}"

w = Widget(name="button", size=3)
([c.__name__ for c in Widget.__mro__], w.log, w.describe(), Widget().describe())
# --- class super classmethod
class Base:
    created = []

    @classmethod
    def create(cls, *args):
        obj = cls(*args)
        Base.created.append(cls.__name__)
        return obj

    def whoami(self):
        return (__class__.__name__, type(self).__name__)

class Child(Base):
    def __init__(self, tag="x"):
        self.tag = tag

    @classmethod
    def create(cls, *args):
        obj = super().create(*args)
        obj.tag = obj.tag.upper()
        return obj

    def whoami(self):
        return super().whoami() + (__class__.__name__,)

class GrandChild(Child):
    pass

g = GrandChild.create("deep")
(g.tag, g.whoami(), Base().whoami(), Base.create().whoami(), Child.create().tag, Base.created)
# --- class property super
class Employee:
    def __init__(self, name, salary):
        self.name = name
        self._salary = salary

    @property
    def salary(self):
        return self._salary

    @salary.setter
    def salary(self, value):
        if value < 0:
            raise ValueError("salary cannot be negative")
        self._salary = value

    @property
    def title(self):
        return "Employee"

class Manager(Employee):
    bonus_rate = 0.2

    @property
    def salary(self):
        return round(super().salary * (1 + self.bonus_rate), 2)

    @property
    def title(self):
        return "Senior " + super().title

m = Manager("ann", 1000)
e = Employee("bob", 800)
e.salary = 900
try:
    m.salary = 2000
    result = "set"
except AttributeError as exc:
    result = type(exc).__name__
(m.salary, e.salary, m.title, e.title, result, Manager.salary.fset is None, Employee.salary.fset is not None)
# --- class protocol error
class Coordinate:
    def __init__(self, lat, lon):
        self.lat = lat
        self.lon = lon

    def __eq__(self, other):
        return (self.lat, self.lon) == (other.lat, other.lon)

visited = [Coordinate(1, 2), Coordinate(3, 4)]
here = Coordinate(1, 2)
found = here in visited
unique = {c for c in visited}
(found, unique)
# --- scope
def make_tracker():
    total = 0
    events = []

    def section(name):
        count = 0

        def record(amount):
            nonlocal count, total

            def commit():
                nonlocal count
                count += 1
                events.append((name, count, amount))

            commit()
            total += amount
            return total

        def stats():
            return (name, count)

        return record, stats

    def summary():
        return total, events

    return section, summary

section, summary = make_tracker()
food, food_stats = section("food")
rent, rent_stats = section("rent")
food(12)
rent(500)
food(8)
(summary(), food_stats(), rent_stats())
# --- scope class
request_count = 0
last_path = None

class Router:
    def __init__(self):
        self.routes = {}

    def add(self, path, handler):
        self.routes[path] = handler

    def dispatch(self, path):
        global request_count, last_path
        request_count += 1
        last_path = path
        handler = self.routes.get(path)
        return handler() if handler else "404"

router = Router()
router.add("/", lambda: "home")
router.add("/about", lambda: "about us")
responses = [router.dispatch(p) for p in ["/", "/missing", "/about"]]
(responses, request_count, last_path)
# --- class mangling
class Counter:
    def __init__(self):
        self.__count = 0
        self._hint = "protected"

    def increment(self):
        self.__count += 1
        return self.__count

class SubCounter(Counter):
    def __init__(self):
        super().__init__()
        self.__count = 100

    def peek(self):
        return self.__count

sc = SubCounter()
sc.increment()
sc.increment()
(sc.peek(), sc._Counter__count, sc._SubCounter__count, sorted(vars(sc)), hasattr(sc, "__count"), getattr(sc, "_Counter__count"))
# --- class slots
class Vec3:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def dot(self, other):
        return sum(getattr(self, a) * getattr(other, a) for a in self.__slots__)

class Vec4(Vec3):
    __slots__ = ("w",)

a = Vec3(1, 2, 3)
outcomes = []
for attr in ["x", "w", "color"]:
    try:
        setattr(a, attr, 9)
        outcomes.append((attr, "set"))
    except AttributeError as e:
        outcomes.append((attr, type(e).__name__))
b = Vec4(1, 1, 1)
b.w = 4
(a.dot(Vec3(1, 1, 1)), outcomes, b.w, hasattr(b, "__dict__"), Vec4.__slots__, type(Vec3.x).__name__)
# --- function-attributes
def add_tag(tag, tags=[]):
    tags.append(tag)
    return tags

def add_tag_safe(tag, tags=None):
    if tags is None:
        tags = []
    tags.append(tag)
    return tags

first = add_tag("a")
second = add_tag("b")
own = add_tag("c", ["z"])
safe1 = add_tag_safe("a")
safe2 = add_tag_safe("b")
(first, second, first is second, own, add_tag.__defaults__, safe1, safe2, add_tag_safe.__defaults__)
# --- annotation function-attributes
def connect(host: str, port: int = 5432, *, timeout: float = 2.5, retries: int = 3, ssl: bool) -> dict:
    return {"url": f"{host}:{port}", "timeout": timeout, "retries": retries, "ssl": ssl}

outcomes = []
try:
    connect("db", 1, 2.0)
except TypeError:
    outcomes.append("positional timeout rejected")
try:
    connect("db")
except TypeError:
    outcomes.append("ssl required")
(connect("db", ssl=True), connect("db", 6000, retries=0, ssl=False)["url"], outcomes, connect.__kwdefaults__, connect.__defaults__, {k: v.__name__ for k, v in connect.__annotations__.items()})
# --- decorator functools
from functools import partial

def power(base, exponent, *, mod=None):
    result = base ** exponent
    return result % mod if mod else result

square = partial(power, exponent=2)
cube = partial(power, exponent=3)
mod_pow = partial(power, mod=7)
two_to = partial(power, 2)
(square(9), cube(3), mod_pow(3, 4), two_to(10), [two_to(k) for k in range(5)], square.func is power, two_to.args, square.keywords, partial(mod_pow, 2)(5))
# --- class
from operator import attrgetter, methodcaller

class Student:
    def __init__(self, name, grade, age):
        self.name = name
        self.grade = grade
        self.age = age

    def initials(self):
        return self.name[0].upper()

    def __repr__(self):
        return f"Student({self.name!r})"

roster = [Student("zoe", 90, 20), Student("adam", 85, 22), Student("mia", 90, 19), Student("li", 70, 22)]
by_grade = sorted(roster, key=attrgetter("grade"), reverse=True)
by_age_name = sorted(roster, key=attrgetter("age", "name"))
(by_grade, by_age_name, list(map(methodcaller("initials"), roster)), max(roster, key=attrgetter("age")), min(roster, key=attrgetter("grade")).name)
# --- dataclass
import dataclasses
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Settings:
    theme: str = "light"
    font_size: int = 12
    plugins: tuple = ()
    cache: dict = field(default_factory=dict, compare=False, repr=False)

base = Settings()
dark = dataclasses.replace(base, theme="dark", plugins=("git",))
try:
    dark.font_size = 14
    error = None
except dataclasses.FrozenInstanceError as e:
    error = (type(e).__name__, str(e), isinstance(e, AttributeError))
(base, dark, error, base == Settings(cache={"k": 1}), hash(base) == hash(Settings()), dataclasses.fields(dark)[1].name, dataclasses.is_dataclass(dark))
# --- enum
from enum import Enum

class Status(Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for member in cls:
                if member.value == value.strip().lower():
                    return member
        return None

    @property
    def can_login(self):
        return self is Status.ACTIVE

    def describe(self):
        return f"{self.name.title()} ({'yes' if self.can_login else 'no'})"

parsed = [Status(raw) for raw in ["active", " Closed ", "SUSPENDED"]]
try:
    Status(42)
    bad = None
except ValueError as e:
    bad = type(e).__name__
(parsed, [st.describe() for st in parsed], bad, Status("ACTIVE") is Status.ACTIVE)
# --- abc property
from abc import ABC, abstractmethod

class Sensor(ABC):
    scale = 1.0

    @property
    @abstractmethod
    def unit(self):
        ...

    @abstractmethod
    def read_raw(self):
        ...

    def reading(self):
        return f"{self.read_raw() * self.scale:.1f} {self.unit}"

class Thermometer(Sensor):
    unit = "C"
    scale = 0.1

    def read_raw(self):
        return 215

class Barometer(Sensor):
    @property
    def unit(self):
        return "hPa"

    def read_raw(self):
        return 1013

class Broken(Sensor):
    def read_raw(self):
        return 0

attempts = []
for cls in (Thermometer, Barometer, Broken, Sensor):
    try:
        attempts.append(cls().reading())
    except TypeError as e:
        attempts.append(type(e).__name__ + ":" + cls.__name__)
(attempts, sorted(Sensor.__abstractmethods__), sorted(Broken.__abstractmethods__), Thermometer.__abstractmethods__, isinstance(Sensor.unit, property))
# --- enum
from enum import Flag, auto

class Perm(Flag):
    READ = auto()
    WRITE = auto()
    EXEC = auto()

ROLES = {
    "viewer": Perm.READ,
    "editor": Perm.READ | Perm.WRITE,
    "admin": Perm.READ | Perm.WRITE | Perm.EXEC,
}

def allowed(role, needed):
    granted = ROLES.get(role, Perm(0))
    return needed in granted

checks = [(role, allowed(role, Perm.WRITE)) for role in ["viewer", "editor", "admin", "guest"]]
editor = ROLES["editor"]
(checks, editor.value, bool(Perm(0)), Perm.EXEC.value, [p.name for p in Perm], (editor & Perm.WRITE) is Perm.WRITE, (ROLES["admin"] ^ Perm.EXEC) == editor, Perm.READ in editor)
# --- namedtuple
from typing import NamedTuple

class Point(NamedTuple):
    px: float
    py: float = 0.0

    def distance_to(self, other):
        return ((self.px - other.px) ** 2 + (self.py - other.py) ** 2) ** 0.5

    def __str__(self):
        return f"({self.px}, {self.py})"

class Segment(NamedTuple):
    start: Point
    end: Point

    @property
    def length(self):
        return self.start.distance_to(self.end)

seg = Segment(Point(0, 0), Point(3, 4))
moved = seg._replace(end=seg.end._replace(py=0))
px, py = seg.end
(seg.length, moved.length, str(seg.start), Point._fields, Point._field_defaults, Point(1), px + py, seg._asdict()["end"], tuple(moved) == ((0, 0), (3, 0)), isinstance(seg, tuple))
# --- typeddict annotation
from typing import TypedDict, List

class Address(TypedDict):
    street: str
    city: str

class Customer(TypedDict, total=False):
    name: str
    email: str
    addresses: List[Address]

def summarize(c: Customer) -> str:
    cities = sorted(a["city"] for a in c.get("addresses", []))
    return f"{c.get('name', 'anonymous')} in {', '.join(cities) or 'nowhere'}"

alice: Customer = {"name": "Alice", "addresses": [Address(street="1 Main", city="Oslo"), {"street": "2 Elm", "city": "Bergen"}]}
ghost: Customer = {}
(summarize(alice), summarize(ghost), type(alice["addresses"][0]).__name__, Customer.__total__, Address.__total__, sorted(Customer.__annotations__), sorted(Address.__required_keys__), sorted(Customer.__optional_keys__))
# --- class generic annotation
from typing import Generic, TypeVar, Optional, List

T = TypeVar("T")

class Stack(Generic[T]):
    def __init__(self) -> None:
        self._items: List[T] = []

    def push(self, item: T) -> "Stack[T]":
        self._items.append(item)
        return self

    def pop(self) -> Optional[T]:
        return self._items.pop() if self._items else None

    def __len__(self) -> int:
        return len(self._items)

ints = Stack[int]().push(1).push(2).push(3)
names: Stack[str] = Stack()
names.push("a")
(ints.pop(), len(ints), names.pop(), names.pop(), type(ints).__name__, Stack.__parameters__, Stack.push.__annotations__["return"], Stack.__init__.__annotations__)
# --- class super protocol
class LowerDict(dict):
    def __setitem__(self, key, value):
        super().__setitem__(key.lower(), value)

    def __missing__(self, key):
        lowered = key.lower()
        if lowered != key and lowered in self:
            return self[lowered]
        raise KeyError(key)

headers = LowerDict()
headers["Content-Type"] = "text/html"
headers.update({"X-Trace": "abc"})
via_init = LowerDict(Accept="json")
found = headers["CONTENT-TYPE"]
try:
    headers["Missing"]
except KeyError as e:
    missing = repr(e)
(dict(headers), found, missing, dict(via_init), headers.get("content-type"), headers.get("Content-Type"), isinstance(headers, dict))
# --- class super
from collections import UserDict, UserList

class Registry(UserDict):
    def __setitem__(self, key, value):
        key = key.strip().lower()
        if key in self.data:
            raise KeyError(f"duplicate {key}")
        super().__setitem__(key, value)

class History(UserList):
    def append(self, item):
        super().append((len(self.data), item))

reg = Registry({" Alpha ": 1})
reg.update({"beta": 2})
errors = []
try:
    reg["BETA"] = 3
except KeyError as e:
    errors.append(e.args[0])
hist = History()
for event in ["open", "edit", "close"]:
    hist.append(event)
(dict(reg), errors, "alpha" in reg, len(reg), list(hist), hist[-1], isinstance(reg, dict), type(hist + ["x"]).__name__)
# --- class super
class TypedList(list):
    def __init__(self, kind, items=()):
        self.kind = kind
        super().__init__()
        for item in items:
            self.append(item)

    def append(self, item):
        if not isinstance(item, self.kind):
            raise TypeError(f"expected {self.kind.__name__}, got {type(item).__name__}")
        super().append(item)

ints = TypedList(int, [1, 2])
ints.append(3)
problems = []
try:
    ints.append("four")
except TypeError as e:
    problems.append(str(e))
ints.extend(["sneaky"])
combined = ints + [4]
(ints, problems, type(combined).__name__, ints.kind.__name__, ints[1:], type(ints[1:]).__name__, len(ints))
# --- exception-chaining class
class AppError(Exception):
    code = 1

class NetworkError(AppError):
    code = 2

class ReadTimeout(NetworkError):
    code = 3

log = []

def fetch(kind):
    try:
        try:
            if kind == "timeout":
                raise ReadTimeout("took too long")
            if kind == "app":
                raise AppError("bad state")
            if kind == "zero":
                return 1 / 0
            return "data"
        except NetworkError as e:
            log.append(("retrying", kind, e.code))
            raise
        finally:
            log.append(("inner-finally", kind))
    except ArithmeticError as e:
        raise AppError("math failed") from e
    except AppError as e:
        log.append(("handled", type(e).__name__, e.code))
        return None

results = []
for kind in ["ok", "timeout", "app", "zero"]:
    try:
        results.append(fetch(kind))
    except AppError as e:
        results.append((str(e), type(e.__cause__).__name__, e.__context__ is e.__cause__))
(results, log)
# --- exception-chaining
def parse_port(text):
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f"invalid port {text!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"port {port} out of range")
    return port

def load(config):
    try:
        return parse_port(config["port"])
    except KeyError as e:
        raise LookupError("port not configured") from e

outcomes = []
for config in [{"port": "8080"}, {"port": "http"}, {}, {"port": "70000"}]:
    try:
        outcomes.append(load(config))
    except (ValueError, LookupError) as e:
        outcomes.append((type(e).__name__, str(e), e.__suppress_context__, type(e.__context__).__name__, e.__cause__ is e.__context__))
outcomes
# --- exception-chaining error
class ConfigError(Exception):
    pass

def read_setting(settings, key):
    try:
        raw = settings[key]
        return int(raw)
    except KeyError:
        raise ConfigError(f"missing setting {key!r}")
    except ValueError as e:
        raise ConfigError(f"setting {key!r} is not a number") from e

settings = {"workers": "4", "timeout": "soon"}
total = read_setting(settings, "workers")
total + read_setting(settings, "timeout")
# --- exception-chaining
steps = []

def process(item):
    try:
        steps.append(f"start {item}")
        try:
            if item < 0:
                raise ValueError("negative")
            result = 100 // item
        except ZeroDivisionError:
            steps.append("zero")
            result = None
        else:
            steps.append("computed")
        finally:
            steps.append(f"inner done {item}")
        return result
    except ValueError as e:
        steps.append(f"outer caught {e}")
        return "invalid"
    finally:
        steps.append(f"outer done {item}")

def always_cleanup():
    try:
        return "from try"
    finally:
        steps.append("cleanup ran")

([process(i) for i in [5, 0, -1]], always_cleanup(), steps)
# --- decorator functools function-attributes
import functools

def tag(name):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return f"<{name}>{func(*args, **kwargs)}</{name}>"
        wrapper.tags = getattr(func, "tags", []) + [name]
        return wrapper
    return decorate

@tag("html")
@tag("body")
@tag("b")
def greet(who="world"):
    """Say hello."""
    return f"hello {who}"

layers = []
f = greet
while hasattr(f, "__wrapped__"):
    layers.append(f.tags)
    f = f.__wrapped__
(greet(), greet("ada"), greet.tags, layers, f is greet.__wrapped__.__wrapped__.__wrapped__, greet.__doc__, f(), greet.__name__, f.__dict__)
# --- decorator functools class annotation
from functools import singledispatch

class Shape:
    pass

class Circle(Shape):
    def __init__(self, r):
        self.r = r

class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h

class Square(Rect):
    def __init__(self, side):
        super().__init__(side, side)

@singledispatch
def describe(obj):
    return f"unknown {type(obj).__name__}"

@describe.register
def _(obj: Circle):
    return f"circle r={obj.r}"

@describe.register(Rect)
def _rect(obj):
    return f"rect {obj.w}x{obj.h}"

@describe.register(list)
def _(obj):
    return [describe(o) for o in obj]

(describe([Circle(2), Rect(1, 3), Square(4), Shape()]), describe(5), describe.dispatch(Square) is _rect, sorted(k.__name__ for k in describe.registry))
# --- decorator functools scope
from functools import cache

calls = 0

@cache
def partitions(total, largest):
    global calls
    calls += 1
    if total == 0:
        return 1
    if total < 0 or largest == 0:
        return 0
    return partitions(total - largest, largest) + partitions(total, largest - 1)

first = partitions(20, 20)
first_calls = calls
again = partitions(20, 20)
partitions.cache_clear()
partitions(5, 5)
(first, first_calls, again, calls - first_calls, partitions.cache_info().hits > 0, partitions.__wrapped__.__name__)
# --- function-attributes annotation
import inspect

def create_user(name: str, age: int = 0, *roles, active: bool = True, **extra) -> dict:
    return {"name": name, "age": age, "roles": roles, "active": active, **extra}

sig = inspect.signature(create_user)
kinds = [(p.name, p.kind.name, p.default is inspect.Parameter.empty) for p in sig.parameters.values()]
bound = sig.bind("ada", 36, "admin", team="core")
bound.apply_defaults()
(str(sig), kinds, sig.return_annotation is dict, dict(bound.arguments), create_user(*bound.args, **bound.kwargs))
# --- function-attributes scope
def make_discount(rate, label="sale"):
    applied = []

    def apply(price):
        applied.append(price)
        return round(price * (1 - rate), 2)

    apply.label = label
    apply.rate = rate
    return apply

spring = make_discount(0.2, "spring")
spring(50)
spring(10.0)
cells = {name: cell.cell_contents for name, cell in zip(("applied", "rate"), spring.__closure__)}
(spring(100), cells, spring.__dict__, spring.__module__, spring.__qualname__, spring.__name__, make_discount.__defaults__)
# --- class protocol operators
class Bag:
    def __init__(self, *items):
        self.items = list(items)

    def __add__(self, other):
        return Bag(*self.items, *other.items)

    def __iadd__(self, other):
        self.items.extend(other.items)
        return self

    def __repr__(self):
        return f"Bag{tuple(self.items)}"

class Tally:
    def __init__(self, count=0):
        self.count = count

    def __add__(self, other):
        return Tally(self.count + (other.count if isinstance(other, Tally) else other))

    __radd__ = __add__

a = Bag(1)
alias = a
a += Bag(2, 3)
b = Bag(1)
b_alias = b
b = b + Bag(9)
t = Tally(1)
t_alias = t
t += 5
total = sum([Tally(2), Tally(3)])
(a, alias is a, b, b_alias, t.count, t_alias.count, t is t_alias, total.count, (10 + Tally(1)).count)
# --- class metaclass
class SingletonMeta(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]

class Config(metaclass=SingletonMeta):
    def __init__(self, env="dev"):
        self.env = env

class Logger(metaclass=SingletonMeta):
    def __init__(self):
        self.lines = []

    def log(self, msg):
        self.lines.append(msg)
        return len(self.lines)

c1 = Config("prod")
c2 = Config("test")
Logger().log("start")
Logger().log("again")
(c1 is c2, c2.env, Logger().lines, type(Config).__name__, sorted(k.__name__ for k in SingletonMeta._instances), isinstance(Config, SingletonMeta))
# --- class metaclass class-body
class Field:
    def __init__(self, default=None):
        self.default = default

class ModelMeta(type):
    def __new__(mcls, name, bases, namespace):
        fields = [k for k, v in namespace.items() if isinstance(v, Field)]
        for base in bases:
            fields = list(getattr(base, "_fields", [])) + fields
        cls = super().__new__(mcls, name, bases, namespace)
        cls._fields = tuple(fields)
        return cls

class Model(metaclass=ModelMeta):
    def __init__(self, **values):
        for name in self._fields:
            setattr(self, name, values.get(name, getattr(type(self), name).default))

    def as_tuple(self):
        return tuple(getattr(self, f) for f in self._fields)

class User(Model):
    name = Field("anon")
    age = Field(0)

class Admin(User):
    level = Field(1)

(User._fields, Admin._fields, Model._fields, User(name="ada").as_tuple(), Admin(age=40, level=3).as_tuple(), type(Admin).__name__)
# --- dataclass
from dataclasses import dataclass, field, asdict

@dataclass(order=True)
class Task:
    priority: int
    name: str = field(compare=False)
    subtasks: list = field(default_factory=list, compare=False, repr=False)

@dataclass
class Project:
    title: str
    tasks: list = field(default_factory=list)

    def next_task(self):
        return min(self.tasks) if self.tasks else None

proj = Project("launch", [Task(3, "docs"), Task(1, "build", [Task(2, "compile")]), Task(2, "test")])
(proj.next_task(), sorted(proj.tasks), Task(1, "a") == Task(1, "b"), Task(1, "a") < Task(2, "a"), asdict(proj)["tasks"][1], Project("empty").next_task())
# --- class class-decorator decorator
SERIALIZERS = {}

def serializer(*extensions, binary=False):
    def register(cls):
        for ext in extensions:
            SERIALIZERS[ext] = cls
        cls.extensions = extensions
        cls.binary = binary
        return cls
    return register

@serializer("json", "js")
class JsonSerializer:
    def dump(self, data):
        return "{" + ", ".join(f'"{k}": {v}' for k, v in sorted(data.items())) + "}"

@serializer("bin", binary=True)
class BinarySerializer:
    def dump(self, data):
        return bytes(sorted(data.values()))

def dump(filename, data):
    ext = filename.rsplit(".", 1)[-1]
    cls = SERIALIZERS[ext]
    return cls().dump(data)

(dump("out.json", {"b": 2, "a": 1}), dump("out.bin", {"x": 3, "y": 1}), sorted(SERIALIZERS), JsonSerializer.extensions, BinarySerializer.binary, SERIALIZERS["js"] is JsonSerializer)
# --- class property
class Document:
    def __init__(self, text):
        self._text = text
        self._cache = None
        self.events = []

    @property
    def text(self):
        return self._text

    @text.setter
    def text(self, value):
        self.events.append("set")
        self._text = value.strip()
        del self.word_count

    @property
    def word_count(self):
        if self._cache is None:
            self.events.append("count")
            self._cache = len(self._text.split())
        return self._cache

    @word_count.deleter
    def word_count(self):
        self.events.append("invalidate")
        self._cache = None

doc = Document("the quick brown fox")
counts = [doc.word_count, doc.word_count]
doc.text = "  jumps over  "
counts.append(doc.word_count)
del doc.word_count
counts.append(doc.word_count)
(counts, doc.text, doc.events, type(Document.text).__name__, Document.word_count.fset is None)
# --- class property error
class Thermostat:
    MIN, MAX = 5, 30

    def __init__(self, target=20):
        self.target = target

    @property
    def target(self):
        return self._target

    @target.setter
    def target(self, value):
        if not Thermostat.MIN <= value <= Thermostat.MAX:
            raise ValueError(f"target {value} outside {Thermostat.MIN}-{Thermostat.MAX}")
        self._target = value

home = Thermostat()
home.target = 22
Thermostat(35)
# --- dataclass error
from dataclasses import dataclass

@dataclass(frozen=True)
class Money:
    amount: int
    currency: str = "EUR"

    def __add__(self, other):
        if self.currency != other.currency:
            raise ValueError(f"cannot add {self.currency} and {other.currency}")
        return Money(self.amount + other.amount, self.currency)

wallet = Money(5) + Money(7)
wallet.amount += 1
wallet
# --- class protocol error
class Settings:
    defaults = {"debug": False, "workers": 4}

    def __init__(self, **overrides):
        self.overrides = overrides

    def __getattr__(self, name):
        if name in self.overrides:
            return self.overrides[name]
        if name in Settings.defaults:
            return Settings.defaults[name]
        raise AttributeError(f"unknown setting {name!r}")

cfg = Settings(workers=8)
summary = (cfg.debug, cfg.workers)
cfg.wrokers
# --- annotation class
from typing import ClassVar, List

class Inventory:
    currency: ClassVar[str] = "USD"
    items: List[str]
    capacity: int = 10
    owner: str

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.items = []

class Warehouse(Inventory):
    capacity: int = 1000
    dock_count: int = 2

w = Warehouse("acme")
missing = [name for name in Inventory.__annotations__ if not hasattr(Inventory, name)]
(list(Inventory.__annotations__), list(Warehouse.__annotations__), missing, w.capacity, w.currency, Inventory.__init__.__annotations__, Warehouse.__annotations__["dock_count"] is int)
# --- annotation
from typing import Dict, Optional

MAX_RETRIES: int = 3
timeout: float
cache: Dict[str, int] = {}

def lookup(key: str, default: Optional[int] = None) -> Optional[int]:
    hits: int = cache.get(key, 0)
    result: Optional[int]
    if hits:
        result = hits * 10
    else:
        result = default
    return result

cache["a"] = 2
try:
    timeout
    status = "bound"
except NameError:
    status = "unbound"
(lookup("a"), lookup("b"), lookup("b", 7), sorted(lookup.__annotations__), status, lookup.__annotations__["return"] == Optional[int], MAX_RETRIES)
# --- class attribute error
class Lazy:
    def __getattr__(self, name):
        raise AttributeError("computed " + name)

def fields(e):
    return (str(e), getattr(e, "name", "no name"), getattr(e, "obj", None) is lazy)

lazy = Lazy()
try:
    lazy.missing
except AttributeError as e:
    caught = fields(e)
caught
# --- class attribute error
class Named:
    def __getattribute__(self, name):
        e = AttributeError("preset")
        e.name = "other"
        raise e

try:
    Named().anything
except AttributeError as e:
    caught = (str(e), getattr(e, "name", "no name"), getattr(e, "obj", "no obj"))
caught
# --- class attribute error
class Point:
    __slots__ = ("x", "y")

p = Point()
p.x = 1
try:
    p.z = 3
except AttributeError as e:
    first = (type(e).__name__, getattr(e, "name", "no name"))
del p.x
try:
    p.x
except AttributeError as e:
    second = (str(e), getattr(e, "name", "no name"), getattr(e, "obj", None) is p)
try:
    del p.y
except AttributeError as e:
    third = str(e)
(first, second, third)
# --- class attribute
class Temperature:
    def __init__(self):
        self._c = 0
        self.log = []

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, value):
        self.log.append(("set", value))
        self._c = value

    @celsius.deleter
    def celsius(self):
        self.log.append(("del", self._c))
        self._c = None

t = Temperature()
t.celsius = 21
t.celsius += 1
del t.celsius
(t.celsius, t.log)
# --- class attribute
class Recorder:
    def __init__(self):
        object.__setattr__(self, "seen", [])

    def __setattr__(self, name, value):
        self.seen.append((name, value))
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self.seen.append(("del", name))
        object.__delattr__(self, name)

r = Recorder()
r.a = 1
r.a += 2
del r.a
(r.seen, hasattr(r, "a"))
# --- class error
class Weird:
    def __init__(self, value):
        self.value = value
        return value

Weird(7)
# --- class
import abc

class Shape(abc.ABC):
    def __init__(self, name):
        self.name = name

    @abc.abstractmethod
    def area(self):
        ...

class Square(Shape):
    def __init__(self, side, name="square"):
        super().__init__(name)
        self.side = side

    def area(self):
        return self.side ** 2

try:
    Shape("blob")
except TypeError as e:
    message = str(e)
(message.split(" with")[0], Square(3).area(), Square(side=2, name="tile").name)
# --- class
class Counter:
    made = 0

    def __new__(cls, *args, **kwargs):
        cls.made += 1
        return super().__new__(cls)

    def __init__(self, start, *, step=1):
        self.value = start
        self.step = step

class Meta(type):
    def __call__(cls, *args, **kwargs):
        instance = super().__call__(*args, **kwargs)
        instance.via_meta = True
        return instance

class Tracked(metaclass=Meta):
    def __init__(self, tag):
        self.tag = tag

c = Counter(5, step=2)
t = Tracked("x")
(Counter.made, c.value, c.step, t.tag, t.via_meta)
# --- class error
class Pair:
    def __init__(self, left, right):
        self.left = left
        self.right = right

Pair(1)
# --- class
import dataclasses

@dataclasses.dataclass
class Item:
    name: str
    price: float = 0.0

class Swapping:
    def __init__(self, n):
        Swapping.__init__ = lambda self, n: setattr(self, "n", -n)
        self.n = n

class FromList(list):
    def __init__(self, items, label):
        super().__init__(items)
        self.label = label

first, second = Swapping(1), Swapping(2)
(Item("pen", 1.5), Item(name="cap"), first.n, second.n, FromList([1, 2], "l"), FromList("ab", "m").label)
# --- class
class Deep:
    def __init__(self, n):
        self.child = Deep(n + 1)

try:
    Deep(0)
except RecursionError as e:
    outcome = type(e).__name__
outcome
