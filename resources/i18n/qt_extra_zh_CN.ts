<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own texts that Qt 6.11 renamed (an accelerator was added) after its zh_CN translations were
     last updated, so qtbase_zh_CN.qm leaves them in English. Read by gisapp.ui.i18n.TsTranslator. -->
<TS version="2.1" language="zh_CN">
  <context>
    <name>QFileDialog</name>
    <message>
      <source>&amp;Look in:</source>
      <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
      <source>Files of &amp;type:</source>
      <translation>文件类型(&amp;T)：</translation>
    </message>
  </context>
</TS>
