// The profile language (docs/language.md). Only compiler/syntax/ast_builder.cpp sees the
// generated parser: it turns the parse tree into the AST and reports every syntax error
// in words an analyst understands.
grammar Daliz;

file : topDecl* EOF ;

// One `{expr}` of a reason string, parsed on its own (see ast_builder.cpp).
interpolation : expr EOF ;

topDecl
  : enumDecl
  | recordDecl
  | measureDecl
  | setDecl
  | tableDecl
  | indicatorDecl
  | profileDecl
  | testDecl
  | categorizeDecl
  | planDecl
  ;

// ---- schema ------------------------------------------------------------------------
enumDecl   : ENUM ID '{' (ID ','?)* '}' ;
recordDecl : ROOT? RECORD ID '{' (fieldDecl ','?)* '}' ;
fieldDecl  : fieldName ':' typeRef ;
typeRef    : typeName=(ID | SET) ('<' typeRef '>')? optional='?'? ;

// measure documentary_check code "101" corridor yellow "Check of documents"
// measure request_documents code "201" corridor yellow "Request of documents" takes documents
measureDecl : MEASURE name=ID (codeWord=ID code=STRING)? corridorWord=ID corridor=ID description=STRING?
              (takesWord=ID takes=ID)? ;

// ---- reference data ----------------------------------------------------------------
setDecl   : SET ID ':' typeRef '=' setLiteral ;
tableDecl : TABLE ID '(' param (',' param)* ')' '->' typeRef FROM STRING ;
param     : ID ':' typeRef ;

// ---- indicators and profiles ---------------------------------------------------------
indicatorDecl : INDICATOR ID '(' (param (',' param)*)? ')' ':' typeRef '=' expr ;

profileDecl : PROFILE STRING '{' profileClause* '}' ;
profileClause
  : TITLE STRING                                  # TitleClause
  | AREA STRING                                   # AreaClause
  | LEVEL ID                                      # LevelClause
  | VALID DATE '..' DATE                          # ValidClause
  | STATUS ID                                     # StatusClause
  | SCOPE (ITEM ID | DECLARATION)                 # ScopeClause
  | SAMPLE expr sampleKey? samplePeriod?          # SampleClause
  | LET ID '=' expr                               # LetClause
  | WHEN expr                                     # WhenClause
  | MEASURES measureUse (',' measureUse)*         # MeasuresClause
  | REASON STRING                                 # ReasonClause
  | NOTICE (STRING | noticeText+)                 # NoticeClause
  | ID expr?                                      # UnknownClause
  ;

// request_documents(invoice, "03011", 10 days): a measure that takes documents, with the kinds
// asked for (by name or classifier code) and a deadline.
measureUse : ID ('(' (measureArg (',' measureArg)*)? ')')? ;
measureArg : days=INT unit=ID | kind=ID | code=STRING ;
// notice kk "…" ru "…" en "…"
noticeText : language=ID text=STRING ;
// `sample 3% by declaration.declarant.id per month` (docs/language.md, 2.15): the draw is keyed
// by these values (and the period of `registered`) instead of the declaration id.
sampleKey    : BY expr (',' expr)* ;
samplePeriod : PER period=ID ;

// ---- categorisation of participants (docs/language.md) --------------------------------
// `rule` and `default` are words, not keywords, like `code` and `corridor` of a measure: the
// AST builder checks them. The second token tells the alternatives apart (SLL, no lookahead).
categorizeDecl : CATEGORIZE STRING '{' categorizeClause* '}' ;
categorizeClause
  : TITLE STRING                                                   # CategorizeTitle
  | word=ID id=STRING category=ID WHEN expr REASON text=STRING     # CategorizeRule
  | word=ID category=ID REASON text=STRING                         # CategorizeDefault
  ;

// ---- selection plans (docs/language.md) ------------------------------------------------
// plan "2026" office "55301" { red 1% .. 3% random 0.5%  yellow 15% .. 25% }: `office` and
// `random` are words, checked by the AST builder.
planDecl : PLAN id=STRING (officeWord=ID office=STRING)? '{' planLine* '}' ;
planLine : corridor=ID low=PERCENT '..' high=PERCENT (randomWord=ID random=PERCENT)? ;

// ---- tests -----------------------------------------------------------------------------
testDecl : TEST STRING '{' testStmt* '}' ;
// `given participant { … }`, `expect category high` and `expect rule "R"` test a categorize
// block; `participant`, `category` and `rule` are words, checked by the AST builder.
testStmt
  : GIVEN DECLARATION objectLiteral                            # GivenStmt
  | GIVEN word=ID objectLiteral                                # GivenRecordStmt
  | EXPECT NO? HIT STRING (ITEM INT)?                          # ExpectHit
  | EXPECT MEASURES ID (',' ID)*                               # ExpectMeasures
  | EXPECT word=ID value=ID                                    # ExpectCorridor
  | EXPECT word=ID text=STRING                                 # ExpectRule
  ;
objectLiteral : '{' (fieldName ':' literalValue ','?)* '}' ;
literalValue
  : objectLiteral
  | '[' (literalValue (',' literalValue)* ','?)? ']'
  | expr
  ;

// ---- expressions, tightest first (ANTLR gives earlier alternatives higher precedence) ----
expr
  : primary                                                        # PrimaryExpr
  | expr '.' fieldName '(' (expr (',' expr)*)? ')'                 # MethodCallExpr
  | expr '.' fieldName                                             # FieldExpr
  | expr '[' expr (',' expr)* ']'                                  # LookupExpr
  | '-' expr                                                       # NegExpr
  | expr op=('*' | '/') expr                                       # MulExpr
  | expr op=('+' | '-') expr                                       # AddExpr
  | expr '??' expr                                                 # CoalesceExpr
  | expr op=('==' | '!=' | '<' | '<=' | '>' | '>=') expr           # CompareExpr
  | expr NOT? IN expr                                              # InExpr
  | expr IS (MISSING | PRESENT)                                    # IsExpr
  | NOT expr                                                       # NotExpr
  | expr AND expr                                                  # AndExpr
  | expr OR expr                                                   # OrExpr
  ;

primary
  // A call, or a quantifier `any(x in L: body)`: one rule, so that telling them apart needs
  // no lookahead past the binding (the AST builder checks the quantifier's shape).
  : ID '(' (expr (':' body=expr)? (',' expr)*)? ')'                # CallPrimary
  | INT                                                            # IntPrimary
  | DECIMAL                                                        # DecimalPrimary
  | PERCENT                                                        # PercentPrimary
  | STRING                                                         # StringPrimary
  | DATE                                                           # DatePrimary
  | (TRUE | FALSE)                                                 # BoolPrimary
  | DECLARATION                                                    # DeclarationPrimary
  | ID                                                             # NamePrimary
  | '(' expr ')'                                                   # ParenPrimary
  | setLiteral                                                     # SetPrimary
  ;

setLiteral : '{' (setElement (',' setElement)* ','?)? '}' ;
setElement : expr ('..' expr)? ;

// A field name may be any word, keywords included (`i.no`, `d.date`, `p.level`).
fieldName
  : ID | ENUM | RECORD | ROOT | MEASURE | SET | TABLE | FROM | INDICATOR | PROFILE | TITLE
  | AREA | LEVEL | VALID | STATUS | SCOPE | ITEM | SAMPLE | LET | WHEN | MEASURES | REASON
  | TEST | GIVEN | EXPECT | NO | HIT | DECLARATION | AND | OR | NOT | IN | IS | MISSING
  | PRESENT | TRUE | FALSE | CATEGORIZE | NOTICE | BY | PER | PLAN
  ;

// ---- lexical ---------------------------------------------------------------------------
ENUM        : 'enum' ;
RECORD      : 'record' ;
ROOT        : 'root' ;
MEASURE     : 'measure' ;
SET         : 'set' ;
TABLE       : 'table' ;
FROM        : 'from' ;
INDICATOR   : 'indicator' ;
PROFILE     : 'profile' ;
TITLE       : 'title' ;
AREA        : 'area' ;
LEVEL       : 'level' ;
VALID       : 'valid' ;
STATUS      : 'status' ;
SCOPE       : 'scope' ;
ITEM        : 'item' ;
SAMPLE      : 'sample' ;
LET         : 'let' ;
WHEN        : 'when' ;
MEASURES    : 'measures' ;
REASON      : 'reason' ;
TEST        : 'test' ;
GIVEN       : 'given' ;
EXPECT      : 'expect' ;
NO          : 'no' ;
HIT         : 'hit' ;
DECLARATION : 'declaration' ;
AND         : 'and' ;
OR          : 'or' ;
NOT         : 'not' ;
IN          : 'in' ;
IS          : 'is' ;
MISSING     : 'missing' ;
PRESENT     : 'present' ;
TRUE        : 'true' ;
FALSE       : 'false' ;
CATEGORIZE  : 'categorize' ;
NOTICE      : 'notice' ;
BY          : 'by' ;
PER         : 'per' ;
PLAN        : 'plan' ;

// A date wins over subtraction: 2025-01-31 is one token.
DATE    : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
PERCENT : DIGIT+ ('.' DIGIT+)? '%' ;
DECIMAL : DIGIT+ '.' DIGIT+ ;
INT     : DIGIT+ ;
STRING  : '"' (ESC | ~["\\\r\n])* '"' ;
// A string the line ends inside: reported as such rather than as a stray quote.
UNTERMINATED_STRING : '"' (ESC | ~["\\\r\n])* ;
ID      : [A-Za-z_] [A-Za-z0-9_]* ;

COALESCE : '??' ;
ARROW    : '->' ;
RANGE    : '..' ;
EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ;
LPAREN : '(' ; RPAREN : ')' ; LBRACE : '{' ; RBRACE : '}' ; LBRACK : '[' ; RBRACK : ']' ;
COMMA : ',' ; COLON : ':' ; DOT : '.' ; ASSIGN : '=' ; QUESTION : '?' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
// A `/*` never closed: reported as such (one token to the end of the file).
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
WS            : [ \t\r\n\u000C\uFEFF]+ -> skip ;
// Anything else is one bad character, reported by the AST builder with its position.
BAD_CHAR      : . ;

fragment DIGIT : [0-9] ;
fragment ESC   : '\\' . ;
